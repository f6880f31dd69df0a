"""Network policies admit no more than the stack's configured ranges, and never the whole internet.

Snowflake: a network policy with no allowed list and no allowed network rule admits every address not
blocked (Network policies, "About network policies"); pulumi-snowflake takes IPv4 ranges in CIDR notation
(network_policy.py, `allowed_ip_lists`), a bare address meaning /32.
"""

import ipaddress
from collections.abc import Mapping, Sequence

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from .rule import Settings, resource_rule

NETWORK_POLICY = "snowflake:index/networkPolicy:NetworkPolicy"
ALLOWED_RANGES = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(str(text).strip(), strict=False)
    except ValueError:
        return None


def admitted_beyond(allowed: Sequence[str], configured: Sequence[str]) -> list[str]:
    """Each allowed entry that is not inside one of the configured ranges (an unreadable one included)."""
    ranges = [network for network in map(_network, configured) if network is not None]
    return [
        entry
        for entry in allowed
        if (network := _network(entry)) is None
        or not any(network.version == r.version and network.subnet_of(r) for r in ranges)  # type: ignore[arg-type]
    ]


def _within_configured_ranges(
    args: ResourceValidationArgs, report: ReportViolation, config: Settings
) -> None:
    name = str(args.props.get("name", ""))
    allowed = [str(entry) for entry in args.props.get("allowedIpLists") or []]
    if not allowed and not args.props.get("allowedNetworkRuleLists"):
        report(f"{args.name} allows no list, so it admits every address that is not blocked.", None)
    for entry in allowed:
        network = _network(entry)
        if network is not None and network.prefixlen == 0:
            report(f"{args.name} admits {entry}, the whole internet.", None)
    ranges: Mapping[str, Sequence[str]] = config["allowedIpRanges"]
    if name not in ranges:
        report(f"{args.name} ({name}) is not one of the stack's configured policies {sorted(ranges)}.", None)
    elif beyond := admitted_beyond(allowed, ranges[name]):
        report(
            f"{args.name} admits {beyond}, beyond the stack's configured ranges {list(ranges[name])}.", None
        )


NETWORK_POLICY_RULES = [
    resource_rule(
        "network-policies-within-configured-ranges",
        "A network policy admits only the ranges the stack configures for it, and never 0.0.0.0/0.",
        Severity.CRITICAL,
        "Set sophia-data-platform:serviceUsers.<USER>.allowedIps in Pulumi.<stack>.yaml to the user's "
        "egress ranges; network-policies-within-configured-ranges.allowedIpRanges derives from them.",
        _within_configured_ranges,
        types=(NETWORK_POLICY,),
        settings={"allowedIpRanges": (ALLOWED_RANGES, {})},
    ),
]
