"""`python -m sophia.hooks serve ...`: the same command as `sophia hooks serve`."""

import argparse
import sys

from sophia.hooks.cli import add_serve_command


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sophia.hooks", description=__doc__)
    add_serve_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
