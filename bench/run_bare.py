"""`python -m bench.run_bare N`: the bare loop of N resources on the project's engine, as one process."""

import sys
from pathlib import Path

from offline.engine import run_program

BARE_PROGRAM = Path(__file__).resolve().parent / "bare_program.py"

if __name__ == "__main__":
    run_program(BARE_PROGRAM, "bench", "bare", {"bench:count": str(int(sys.argv[1]) - 1)}, set())
