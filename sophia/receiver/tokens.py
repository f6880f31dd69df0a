"""The secret in the webhook URL: one token, or two while rotating, compared in constant time."""

# Airbyte does not sign its webhooks (SlackNotificationClient.notifyJson sends only Content-Type), so the
# URL itself carries the secret. Tokens come from an environment variable or a file, never from the command
# line, where `ps` would show them; error messages describe a bad token without ever printing it.

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TOKENS_ENV = "SOPHIA_HOOKS_TOKENS"
MAX_TOKENS = 2
# URL-safe (it is one path segment) and long enough not to be guessed: `secrets.token_urlsafe(32)` gives 43.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
TOKEN_FORM = "32 to 256 characters of A-Z a-z 0-9 _ - (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"


class TokenError(ValueError):
    """No usable token configuration; the message never contains a token."""


@dataclass(frozen=True)
class Tokens:
    """The accepted tokens, kept as digests for comparison."""

    digests: tuple[bytes, ...] = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False)

    def matches(self, given: str) -> bool:
        """True when `given` is one of the tokens; compares equal-length digests against every token."""
        digest = hashlib.sha256(given.encode()).digest()
        matched = False
        for expected in self.digests:
            matched |= hmac.compare_digest(digest, expected)
        return matched


def load_tokens(environ: Mapping[str, str], token_file: Path | None) -> Tokens:
    """The tokens from `$SOPHIA_HOOKS_TOKENS` or a file (exactly one of them), whitespace- or comma-separated."""
    inline = environ.get(TOKENS_ENV, "").strip()
    if bool(inline) == (token_file is not None):
        raise TokenError(f"give the webhook token(s) in exactly one of ${TOKENS_ENV} or --token-file")
    if token_file is not None:
        try:
            inline = token_file.read_text()
        except OSError as error:
            raise TokenError(f"cannot read token file {token_file}: {error.strerror}") from error
    source = f"${TOKENS_ENV}" if token_file is None else str(token_file)
    tokens = tuple(token for token in re.split(r"[\s,]+", inline) if token)
    if not 1 <= len(tokens) <= MAX_TOKENS or len(set(tokens)) != len(tokens):
        raise TokenError(
            f"{source}: given {len(tokens)} token(s); allowed: 1, or 2 different ones while rotating"
        )
    for position, token in enumerate(tokens, start=1):
        if not TOKEN_PATTERN.fullmatch(token):
            raise TokenError(
                f"{source}: token {position} ({len(token)} characters, not shown) is not {TOKEN_FORM}"
            )
    return Tokens(tuple(hashlib.sha256(token.encode()).digest() for token in tokens), tokens)
