"""The offline plan's takeover: which inventory a plan adopts from, and the report it prints and writes."""

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from models.inventory import Inventory
from offline.ci_formats import DEFAULT_ALLOW_FILE, ReportFormat
from offline.engine import ProgramRun
from offline.source_locations import SourceLocator
from stack.adoption import ADOPT_KEY, InventoryError, check_for_stack, read_inventory
from stack.config import StackConfig

if TYPE_CHECKING:
    from offline.takeover import Takeover


def adoption_inventory(
    config: StackConfig, project: str, project_dir: Path, inventory: Path | None, values: dict[str, str]
) -> Inventory | None:
    """The inventory the plan adopts from, checked, with the program's config pointed at it; None for none."""
    named = inventory or (project_dir / config.adopt_from if config.adopt_from else None)
    if named is None:
        return None
    where = "--inventory" if inventory else f"{project}:{ADOPT_KEY}"
    try:
        loaded = read_inventory(named)
        check_for_stack(loaded, config)
    except InventoryError as error:
        raise InventoryError(f"{where}: the inventory {error}") from None
    # The program runs with the working directory wherever `sophia` was started: give it the full path.
    values[f"{project}:{ADOPT_KEY}"] = str(named.resolve())
    return loaded


def report_takeover(
    run: ProgramRun, inventory: Inventory, build_dir: Path, project_dir: Path, out: Console
) -> bool:
    """Prints and writes the takeover (JSON and markdown); True when a destructive adoption is not allowed."""
    # The takeover and the guard load here: a plan that adopts nothing needs neither.
    from offline.guard import Change, DestructiveChange, apply_allow, load_allow
    from offline.guard_report import render_guard_report
    from offline.takeover import build_takeover, render_markdown

    takeover = build_takeover(run, inventory)
    folder = build_dir / run.stack
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "takeover.json").write_text(json.dumps(takeover.to_json(), indent=2) + "\n")
    markdown = render_markdown(takeover, run.stack)
    (folder / "takeover.md").write_text(markdown)
    out.out(_summary(takeover, folder), highlight=False)
    allow_path = project_dir / DEFAULT_ALLOW_FILE
    result = apply_allow(
        [
            DestructiveChange(entry.urn, entry.type, Change.ADOPTED, "; ".join(entry.destructive))
            for entry in takeover.destructive
        ],
        load_allow(allow_path, required=False),
        f"takeover of {inventory.database}",
        str(allow_path),
    )
    if result.blocked or result.allowed:
        out.out(
            render_guard_report(result, ReportFormat.TEXT, SourceLocator(project_dir, run.stack)),
            highlight=False,
        )
    return bool(result.blocked)


def _summary(takeover: "Takeover", folder: Path) -> str:
    counts = {
        "adopted unchanged": len(takeover.adopted),
        "adopted and changed": len(takeover.changed),
        "created": len(takeover.created),
        "re-applied": len(takeover.reapplied),
        "blocked": len(takeover.blocked),
        "not in the inventory (import by hand if they exist)": len(takeover.unchecked),
        "existing but undeclared (never dropped)": len(takeover.unmanaged),
    }
    lines = ["Takeover: " + ", ".join(f"{count} {what}" for what, count in counts.items())]
    for entry in takeover.changed:
        for change in entry.changes:
            lines.append(
                f"  ~ {entry.urn.rsplit('::', 1)[-1]}: {change.setting} {change.existing!r} -> {change.declared!r}"
            )
        lines += [f"  ! {entry.urn.rsplit('::', 1)[-1]}: {problem}" for problem in entry.destructive]
    lines += [f"  ? {item['kind']} {item['name']} (unmanaged)" for item in takeover.unmanaged]
    lines.append(f"takeover report: {folder / 'takeover.json'}, {folder / 'takeover.md'}")
    return "\n".join(lines)
