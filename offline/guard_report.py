"""The guard's findings as text, JSON, GitHub workflow commands or Markdown."""

import json
from typing import Any

from offline.ci_formats import ReportFormat, github_command, markdown_cell
from offline.guard import GuardResult
from offline.source_locations import SourceLocator

HOW_TO_ALLOW = (
    "If the change is intended, list it in the allow file (urn, change, reason) in this pull request."
)


def render_guard_report(result: GuardResult, fmt: ReportFormat, locator: SourceLocator) -> str:
    """The guard's result in `fmt` (one of GUARD_FORMATS)."""
    renderers = {
        ReportFormat.TEXT: _text,
        ReportFormat.JSON: _json,
        ReportFormat.GITHUB: _github,
        ReportFormat.MARKDOWN: _markdown,
    }
    return renderers[fmt](result, locator)


def _headline(result: GuardResult) -> str:
    if not result.blocked and not result.allowed:
        return "destructive-change guard: no stateful resource is deleted, replaced or re-created"
    return (
        f"destructive-change guard: {len(result.blocked)} blocked, {len(result.allowed)} allowed "
        "destructive changes"
    )


def _text(result: GuardResult, _: SourceLocator) -> str:
    lines = [f"compared: {result.source}", f"allow file: {result.allow_file}", _headline(result)]
    for change in result.blocked:
        lines += [
            "",
            f"[blocked] {change.kind} {change.change}",
            f"  urn:    {change.urn}",
            f"  reason: {change.reason}",
        ]
    for change, entry in result.allowed:
        lines += [
            "",
            f"[allowed] {change.kind} {change.change}",
            f"  urn:    {change.urn}",
            f"  reason: {change.reason}",
            f"  allowed because: {entry.reason}",
        ]
    for entry in result.unused:
        lines += ["", f"[unused allow entry] {entry.change} {entry.urn}: it matches no change; remove it"]
    if result.blocked:
        lines += ["", HOW_TO_ALLOW]
    return "\n".join(lines)


def _json(result: GuardResult, _: SourceLocator) -> str:
    def change_json(change: Any) -> dict[str, str]:
        return {
            "urn": change.urn,
            "kind": change.kind,
            "change": change.change.value,
            "reason": change.reason,
        }

    return json.dumps(
        {
            "compared": result.source,
            "allowFile": result.allow_file,
            "blocked": [change_json(c) for c in result.blocked],
            "allowed": [{**change_json(c), "allowedBecause": e.reason} for c, e in result.allowed],
            "unusedAllowEntries": [e.model_dump(mode="json") for e in result.unused],
        },
        indent=2,
    )


def _github(result: GuardResult, locator: SourceLocator) -> str:
    lines = [github_command("notice", f"{result.source}; allow file: {result.allow_file}", "guard")]
    for change in result.blocked:
        message = f"{change.urn}\n{change.reason}\n{HOW_TO_ALLOW}"
        title = f"destructive change: {change.kind} {change.change}"
        lines.append(github_command("error", message, title, locator.locate(change.urn)))
    for change, entry in result.allowed:
        message = f"{change.urn}\n{change.reason}\nallowed: {entry.reason}"
        lines.append(github_command("notice", message, f"allowed: {change.kind} {change.change}"))
    for entry in result.unused:
        message = f"{entry.change} {entry.urn} matches no change; remove it from the allow file"
        lines.append(github_command("warning", message, "unused allow entry"))
    return "\n".join(lines)


def _markdown(result: GuardResult, _: SourceLocator) -> str:
    lines = [
        f"### {_headline(result).capitalize()}",
        "",
        f"Compared {result.source}; allow file: {result.allow_file}.",
    ]
    rows = [("**blocked**", c, "") for c in result.blocked] + [
        ("allowed", c, e.reason) for c, e in result.allowed
    ]
    if rows:
        lines += ["", "| | kind | change | resource | why | allowed because |", "|---|---|---|---|---|---|"]
        for status, change, because in rows:
            cells = [status, change.kind, change.change.value, f"`{markdown_cell(change.urn)}`",
                     markdown_cell(change.reason), markdown_cell(because)]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
    if result.unused:
        lines += ["", "Unused allow entries (remove them):"]
        lines += [f"- `{entry.change}` `{markdown_cell(entry.urn)}`" for entry in result.unused]
    if result.blocked:
        lines += ["", HOW_TO_ALLOW]
    return "\n".join(lines)
