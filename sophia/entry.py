"""The `sophia` console script: imports the commands, so that a bad catalog, found on import, exits 2 as bad input."""

import sys

from catalog.declared import CatalogError

EXIT_INVALID = 2


def main(argv: list[str] | None = None) -> int:
    """Runs the command, or reports a catalog the program refuses (the catalog is validated on import)."""
    try:
        from sophia.cli import main as run  # importing it validates the catalog
    except CatalogError as error:
        print(f"invalid catalog\n{error}", file=sys.stderr)
        return EXIT_INVALID
    return run(argv)
