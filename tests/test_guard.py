"""`sophia guard`: export pairs and `pulumi preview --json` documents, the allow file, exit codes 0 / 1 / 2."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.guard import Change, alias_urns, compare_exports, preview_changes
from offline.urns import parse_urn
from sophia.cli import EXIT_FAILED, EXIT_INVALID, EXIT_OK, guard

# `pulumi preview --json` documents shaped as pulumi/pulumi writes them (sdk/pkg/display/json.go, op names
# from pkg/resource/deploy/step.go); preview_documents/README.md says what each one holds.
PREVIEWS = Path(__file__).resolve().parent / "preview_documents"
SCHEMA = "snowflake:index/schema:Schema"
TABLE = "snowflake:index/table:Table"
VIEW = "snowflake:index/view:View"


@pytest.fixture(scope="module")
def base(dev_export: Path) -> dict[str, Any]:
    return json.loads(dev_export.read_text())


def _resources(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["deployment"]["resources"]


def _named(document: dict[str, Any], resource_type: str, name: str) -> dict[str, Any]:
    return next(r for r in _resources(document) if r["type"] == resource_type and r["inputs"]["name"] == name)


def _write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def _guard(tmp_path: Path, *, exports: tuple[dict, dict] | None = None, preview: str | None = None,
           allow: Any = None, fmt: ReportFormat = ReportFormat.TEXT) -> tuple[int, str, str]:  # fmt: skip
    paths = (
        [_write(tmp_path, "base.json", exports[0]), _write(tmp_path, "head.json", exports[1])]
        if exports
        else []
    )
    allow_path = _write(tmp_path, "allow.yaml", allow) if allow is not None else None
    console, errors = Console(record=True, width=1000), Console(record=True, width=1000)
    # The project dir is tmp_path, so the repository's own allow-destructive.yaml (if any) plays no part.
    code = guard(paths, PREVIEWS / preview if preview else None, allow_path, fmt, tmp_path, console, errors)
    return code, console.export_text(), errors.export_text()


def _renamed(document: dict[str, Any], urn: str, new_name: str) -> tuple[dict[str, Any], str]:
    """The document with one resource under a new logical name, and the new URN."""
    head = copy.deepcopy(document)
    resource = next(r for r in _resources(head) if r["urn"] == urn)
    resource["urn"] = parse_urn(urn).with_name(new_name)
    return head, resource["urn"]


def test_identical_plans_pass(tmp_path: Path, base: dict) -> None:
    code, output, _ = _guard(tmp_path, exports=(base, base))
    assert code == EXIT_OK
    assert "no stateful resource is deleted, replaced or re-created" in output


def test_a_schema_that_disappears_fails_naming_it(tmp_path: Path, base: dict) -> None:
    head = copy.deepcopy(base)
    schema = _named(head, SCHEMA, "SOPHIA_INSIGHTS")
    _resources(head).remove(schema)
    code, output, _ = _guard(tmp_path, exports=(base, head))
    assert code == EXIT_FAILED
    assert "[blocked] schema deleted" in output
    assert f"  urn:    {schema['urn']}" in output
    assert "it is no longer declared, so Pulumi deletes it" in output


def test_a_table_whose_urn_changes_without_an_alias_fails(tmp_path: Path, base: dict) -> None:
    table = _named(base, TABLE, "EMPLOYEES")
    head, new_urn = _renamed(base, table["urn"], "sophia-knowledge-staff")
    changes = compare_exports(_resources(base), _resources(head))
    assert [(c.urn, c.kind, c.change) for c in changes] == [(table["urn"], "table", Change.URN_CHANGED)]
    # A plain string in `aliases` is a URN to the Python SDK, so a rename takes Alias(name=...).
    advice = "opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name='sophia-knowledge-employees')])"
    assert new_urn in changes[0].reason and advice in changes[0].reason
    code, output, _ = _guard(tmp_path, exports=(base, head))
    assert code == EXIT_FAILED and "[blocked] table urn-changed" in output


@pytest.mark.parametrize("form", ["urn", "name"])
def test_an_alias_carries_the_table_to_its_new_urn(base: dict, form: str) -> None:
    table = _named(base, TABLE, "EMPLOYEES")
    head, new_urn = _renamed(base, table["urn"], "sophia-knowledge-staff")
    renamed = next(r for r in _resources(head) if r["urn"] == new_urn)
    # A stack export records the earlier URN; the offline engine records an Alias(name=...) by its name.
    renamed["aliases"] = [table["urn"] if form == "urn" else "sophia-knowledge-employees"]
    assert alias_urns(renamed) == [table["urn"]]
    assert compare_exports(_resources(base), _resources(head)) == []


def test_a_table_moved_to_another_schema_is_replaced(base: dict) -> None:
    head = copy.deepcopy(base)
    table = _named(head, TABLE, "EMPLOYEES")
    table["inputs"]["schema"] = "SOPHIA_SEMANTIC"
    (change,) = compare_exports(_resources(base), _resources(head))
    assert change.change is Change.REPLACED and change.urn == table["urn"]
    assert 'schema changes from "FOUNDATIONAL_KNOWLEDGE" to "SOPHIA_SEMANTIC"' in change.reason


def test_removing_what_holds_no_data_passes(tmp_path: Path, base: dict) -> None:
    head = copy.deepcopy(base)
    views = [r for r in _resources(head) if r["type"] == VIEW]
    for view in views:
        _resources(head).remove(view)
    _named(head, SCHEMA, "SOPHIA_OPS")["inputs"]["comment"] = "changed in place"
    assert views and _guard(tmp_path, exports=(base, head))[0] == EXIT_OK


def test_preview_with_a_table_replacement_fails(tmp_path: Path) -> None:
    code, output, _ = _guard(tmp_path, preview="table-replacement.json")
    assert code == EXIT_FAILED
    assert "[blocked] table replaced" in output
    assert "sophia-knowledge-employees" in output
    assert "replaced because of schema (step replace)" in output
    assert "warehouse" not in output.split("[blocked]", 1)[1]


def test_preview_replacement_steps_count_once(tmp_path: Path) -> None:
    steps = json.loads((PREVIEWS / "replacement-steps.json").read_text())["steps"]
    (change,) = preview_changes(steps)
    assert change.kind == "Airbyte connection" and change.change is Change.REPLACED
    assert change.reason == "replaced because of source_id (step create-replacement)"
    assert _guard(tmp_path, preview="replacement-steps.json")[0] == EXIT_FAILED


def test_preview_rename_and_removal(tmp_path: Path) -> None:
    steps = json.loads((PREVIEWS / "rename-without-alias.json").read_text())["steps"]
    changes = {parse_urn(c.urn).name: c for c in preview_changes(steps)}
    assert set(changes) == {"sophia-database-schema-sophia_ml", "sophia-knowledge-pricing_models-stream"}
    assert changes["sophia-database-schema-sophia_ml"].change is Change.URN_CHANGED
    assert "sophia-database-ml-schema" in changes["sophia-database-schema-sophia_ml"].reason
    assert changes["sophia-knowledge-pricing_models-stream"].change is Change.DELETED


def test_preview_with_updates_and_creates_only_passes(tmp_path: Path) -> None:
    code, output, _ = _guard(tmp_path, preview="updates-only.json")
    assert code == EXIT_OK and "compared: pulumi preview --json" in output


def _allow(*entries: tuple[str, str]) -> str:
    lines = ["# Destructive changes this pull request intends.", "allow:"]
    for urn, change in entries:
        lines += [
            f"  - urn: '{urn}'",
            f"    change: {change}",
            "    reason: the table moves to the semantic layer",
        ]
    return "\n".join(lines) + "\n"


def _table_urn() -> str:
    steps = json.loads((PREVIEWS / "table-replacement.json").read_text())["steps"]
    return next(s["urn"] for s in steps if s["op"] == "replace")


def test_an_allow_entry_lets_the_intended_change_pass(tmp_path: Path) -> None:
    code, output, _ = _guard(
        tmp_path, preview="table-replacement.json", allow=_allow((_table_urn(), "replaced"))
    )
    assert code == EXIT_OK
    assert "[allowed] table replaced" in output
    assert "allowed because: the table moves to the semantic layer" in output


def test_an_allow_entry_for_another_change_does_not(tmp_path: Path) -> None:
    unrelated = "urn:pulumi:dev::sophia-data-platform::snowflake:index/table:Table::gone"
    allow = _allow((_table_urn(), "deleted"), (unrelated, "deleted"))
    code, output, _ = _guard(tmp_path, preview="table-replacement.json", allow=allow, fmt=ReportFormat.JSON)
    assert code == EXIT_FAILED
    report = json.loads(output)
    assert [c["change"] for c in report["blocked"]] == ["replaced"]
    assert {e["urn"] for e in report["unusedAllowEntries"]} == {_table_urn(), unrelated}


def test_github_format_annotates_blocked_changes(tmp_path: Path) -> None:
    code, output, _ = _guard(tmp_path, preview="table-replacement.json", fmt=ReportFormat.GITHUB)
    assert code == EXIT_FAILED
    (error,) = [line for line in output.splitlines() if line.startswith("::error ")]
    assert "title=destructive change%3A table replaced::" in error
    assert _table_urn() in error and "%0A" in error


def test_markdown_lists_blocked_and_allowed(tmp_path: Path) -> None:
    allow = _allow((_table_urn(), "replaced"))
    code, output, _ = _guard(
        tmp_path, preview="replacement-steps.json", allow=allow, fmt=ReportFormat.MARKDOWN
    )
    assert code == EXIT_FAILED
    assert output.startswith("### Destructive-change guard: 1 blocked, 0 allowed destructive changes")
    assert "| **blocked** | Airbyte connection | replaced |" in output
    assert "Unused allow entries (remove them):" in output


@pytest.mark.parametrize(
    ("allow", "expected"),
    [
        (
            "allow:\n  - urn: nope\n    change: deleted\n    reason: x\n",
            "allow.0.urn: Value error, not a Pulumi URN",
        ),
        (
            _allow(("urn:pulumi:dev::p::t::n", "dropped")),
            "allow.0.change: Input should be 'deleted', 'replaced'",
        ),
        (
            "allow:\n  - urn: 'urn:pulumi:dev::p::t::n'\n    change: deleted\n    reason: ' '\n",
            "reason: Value error",
        ),
        ("allow: [\n", "is not valid YAML"),
    ],
    ids=["not a URN", "unknown change", "empty reason", "not YAML"],
)
def test_a_bad_allow_file_exits_2_naming_the_entry(tmp_path: Path, allow: str, expected: str) -> None:
    code, output, errors = _guard(tmp_path, preview="updates-only.json", allow=allow)
    assert code == EXIT_INVALID and output == ""
    assert expected in errors


def test_unreadable_inputs_exit_2(tmp_path: Path, base: dict) -> None:
    assert _guard(tmp_path, exports=(base, "{not json"))[0] == EXIT_INVALID
    bad = tmp_path / "preview.json"
    bad.write_text(json.dumps({"steps": [{"urn": "urn:pulumi:dev::p::t::n"}]}))
    console, errors = Console(record=True), Console(record=True, width=1000)
    assert guard([], bad, None, ReportFormat.TEXT, tmp_path, console, errors) == EXIT_INVALID
    assert "step 0 lacks an op or urn" in errors.export_text()


def test_the_repository_allow_file_is_read_when_present(tmp_path: Path) -> None:
    (tmp_path / "allow-destructive.yaml").write_text(_allow((_table_urn(), "replaced")))
    console, errors = Console(record=True, width=1000), Console(record=True)
    code = guard([], PREVIEWS / "table-replacement.json", None, ReportFormat.TEXT, tmp_path, console, errors)
    assert code == EXIT_OK
    assert "allow-destructive.yaml (1 entries)" in console.export_text()
