"""The exit codes every `sophia` command shares: 0 clean, 1 a finding that fails CI, 2 bad input."""

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
