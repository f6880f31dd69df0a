"""RSA public keys as Snowflake takes them: the base64 body on one line, checked before any resource."""

import re
from typing import Annotated

from pydantic import AfterValidator

_RSA_PUBLIC_KEY = re.compile(r"^MII[A-Za-z0-9+/]{200,}={0,2}$")


def _rsa_public_key(value: str) -> str:
    """Snowflake wants the base64 body of an RSA public key on one line, without PEM header or trailer."""
    body = "".join(line for line in value.strip().splitlines() if "-----" not in line)
    if not _RSA_PUBLIC_KEY.fullmatch(body):
        raise ValueError("must be the base64 body of an RSA public key (starting MII..., 2048 bits or more)")
    return body


RsaPublicKey = Annotated[str, AfterValidator(_rsa_public_key)]
