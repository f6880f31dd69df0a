"""Puts the repository root on the pack's path, so its rules import the program's pure models (models/).

The pack runs in its own virtualenv (PulumiPolicy.yaml) from this folder; models/ is the folder beside it.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.append(ROOT)
