"""The report formats the commands share, and the escaping GitHub workflow commands and Markdown tables need."""

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the annotation: `sophia --help` reads this module and needs no YAML
    from offline.source_locations import SourceLocation

# The guard's allow file, looked for in the project unless --allow names another.
DEFAULT_ALLOW_FILE = "allow-destructive.yaml"


class ReportFormat(StrEnum):
    """How a command prints its findings: for people, for tools, for a GitHub run, for a step summary."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    MARKDOWN = "markdown"


# The guard has no SARIF form: a destructive change has no source line to point at.
GUARD_FORMATS = (ReportFormat.TEXT, ReportFormat.JSON, ReportFormat.GITHUB, ReportFormat.MARKDOWN)


def github_command(level: str, message: str, title: str, location: "SourceLocation | None" = None) -> str:
    """`::error file=...,line=...,title=...::message`, escaped as @actions/core escapes them.

    Escaping follows actions/toolkit packages/core/src/command.ts: data escapes `%`, CR and LF;
    property values also escape `:` and `,`.
    """
    properties = {"title": title}
    if location is not None:
        properties = {"file": location.path, "line": str(location.line), **properties}
    rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{level} {rendered}::{_escape_data(message)}"


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks as `<br>`."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
