"""The stack's service users: key-pair sign-in, one functional role each, reachable only from allowed IPs."""

import ipaddress
from typing import Annotated

from pydantic import AfterValidator, Field

from models.enums import FunctionalRole
from models.identifiers import SnowflakeComment
from models.strict_model import StrictModel
from models.validation import not_allowed
from stack.keys import RsaPublicKey


def _ip_or_cidr(value: str) -> str:
    """Network policies take IPv4 addresses or CIDR ranges; anything else is refused."""
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 address or CIDR range such as 192.0.2.0/24") from None


# The service users the stack's own services sign in as, by their key in serviceUsers.
AIRBYTE_USER = "AIRBYTE"
RECEIVER_USER = "HOOKS"  # the webhook receiver, sophia receiver serve; named as FunctionalRole.HOOKS says

IpOrCidr = Annotated[str, AfterValidator(_ip_or_cidr)]
# Every role but the webhook receiver's, which runs the gate tasks and reads no data.
DATA_ROLES = [role.value for role in FunctionalRole if role is not FunctionalRole.HOOKS]


class ServiceUserConfig(StrictModel):
    """A TYPE = SERVICE user: key-pair only, one functional role, reachable only from allowed IPs."""

    functional_role: FunctionalRole
    allowed_ips: list[IpOrCidr] = Field(min_length=1)
    comment: SnowflakeComment = ""


def require_airbyte_user(users: dict[str, ServiceUserConfig], airbyte: bool) -> None:
    """With Airbyte configured, serviceUsers must declare the user it signs in as."""
    if airbyte and AIRBYTE_USER not in users:
        raise ValueError(
            f"airbyte is configured, so serviceUsers must declare {AIRBYTE_USER}, the user it signs in as"
        )


def require_receiver_user_iff_airbyte(users: dict[str, ServiceUserConfig], airbyte: bool) -> None:
    """The webhook receiver's user exists exactly when there are Airbyte sources to gate."""
    declared = RECEIVER_USER in users
    if airbyte and not declared:
        raise ValueError(
            f"airbyte is configured, so serviceUsers must declare {RECEIVER_USER}, the user the webhook "
            "receiver (sophia receiver serve) signs in as to run the gate tasks"
        )
    if not airbyte and declared:
        raise ValueError(
            f"serviceUsers declares {RECEIVER_USER}, the webhook receiver's user, but airbyte is not "
            "configured: without Airbyte sources there is no gate task for it to run; remove it"
        )


def require_receiver_role_alone(users: dict[str, ServiceUserConfig]) -> None:
    """HOOKS is the receiver's role and the receiver's user has no other."""
    for user, config in users.items():
        has_receiver_role = config.functional_role is FunctionalRole.HOOKS
        if user == RECEIVER_USER and not has_receiver_role:
            allowed, why = (
                [FunctionalRole.HOOKS.value],
                " (the webhook receiver may run the gate tasks and nothing else)",
            )
        elif user != RECEIVER_USER and has_receiver_role:
            allowed, why = (
                DATA_ROLES,
                f" (HOOKS is the role of the webhook receiver's user, {RECEIVER_USER}, alone)",
            )
        else:
            continue
        raise not_allowed(f"serviceUsers.{user}.functionalRole", config.functional_role.value, allowed, why)


def require_public_keys(users: dict[str, ServiceUserConfig], keys: dict[str, RsaPublicKey]) -> None:
    """Service users sign in by key pair only, so each needs its public key."""
    missing = sorted(set(users) - set(keys))
    if missing:
        raise ValueError(
            f"servicePublicKeys has no RSA public key for service user(s) {missing}: "
            "service users sign in by key pair only"
        )
