"""The floor's input: what a plan registered (type, name, parent, provider, inputs), written as one JSON file."""

import json
from pathlib import Path
from typing import Any

from offline.engine import ProgramRun
from offline.export import to_deployment


def manifest(run: ProgramRun) -> dict[str, Any]:
    """The plan's resources in registration order, parent and provider by URN, inputs as the export holds them."""
    resources = to_deployment(run)["deployment"]["resources"]
    return {
        "project": run.project,
        "stack": run.stack,
        "resources": [
            {
                "urn": resource["urn"],
                "type": resource["type"],
                "name": resource["urn"].rsplit("::", 1)[-1],
                "custom": resource["custom"],
                "parent": resource.get("parent", ""),
                "provider": resource.get("provider", "").rsplit("::", 1)[0],
                "inputs": resource.get("inputs") or {},
            }
            for resource in resources
        ],
    }


def write_manifest(run: ProgramRun, path: Path) -> Path:
    """Writes the manifest for `bench/floor_program.py` and returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest(run)))
    return path
