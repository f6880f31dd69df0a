"""`python -m sophia ...`: the `sophia` command, for a checkout without the console script on PATH."""

import sys

from sophia.cli import main

sys.exit(main())
