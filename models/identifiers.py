"""Validated Snowflake identifier and comment types, so no quoting trick or SQL reaches a name."""

from typing import Annotated

from pydantic import StringConstraints

IDENTIFIER_PATTERN = r"^[A-Z_][A-Z0-9_$]{0,254}$"
COMMENT_PATTERN = r"^[A-Za-z0-9 _.,:()/%+\-]{0,256}$"

# Unquoted upper-case identifiers only: Snowflake resolves them case-insensitively, and the
# absence of quotes, dots and semicolons means a name can never end a statement or change scope.
SnowflakeIdentifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]

# Comments reach SQL as string literals: no quotes, backslashes or semicolons.
SnowflakeComment = Annotated[str, StringConstraints(pattern=COMMENT_PATTERN)]
