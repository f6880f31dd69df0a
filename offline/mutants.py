"""One-property changes of a stack export, in generated families, each saying which promise it breaks, if any.

Which promise a change breaks is judged against the shipped export, not by the rules: a grant fact the shipped
plan does not hold, a credential out of its envelope, a wider range, a flag the docs promise turned off.
Grant re-targeting is sampled: each grant goes to ROLES_PER_GRANT roles picked by a hash of its URN and the
role, so the same export always yields the same mutants.
"""

import copy
import hashlib
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from policies.sophia_policies.flags import PROMISED_FLAGS
from policies.sophia_policies.grant_facts import GRANT_TYPES, grant_facts
from policies.sophia_policies.secret_fields import secret_fields
from policies.sophia_policies.snowflake import (
    ACCOUNT_ROLE,
    DATABASE,
    DATABASE_ROLE,
    SCHEMA,
    STREAM_ON_TABLE,
    TABLE,
    TASK,
    unquote,
)
from stack.sdk_internals import is_secret_envelope

ROLES_PER_GRANT = 4
SYSTEM_GRANTEES = ("PUBLIC", "SYSADMIN", "SECURITYADMIN", "ACCOUNTADMIN")
NETWORK_POLICY = "snowflake:index/networkPolicy:NetworkPolicy"
ALERT = "snowflake:index/alert:Alert"
EVERY_MINUTE = "* * * * *"
# Booleans the docs promise, by type and input; the rest of the flips are shown but promise nothing.
PROMISED_BOOLEANS = {
    (TASK, "allowOverlappingExecution"): "tasks never overlap",
    (TASK, "started"): "scheduled work runs as promised",
    ("snowflake:index/alert:Alert", "enabled"): "scheduled work runs as promised",
    **{(kind, flag): promise for kind, flags in PROMISED_FLAGS.items() for flag, promise in flags.items()},
}
# The docs promise change tracking on the tables streams read (so the streams see every change), not on all.
STREAMED_TABLE_PROMISE = "streamed tables track changes"


@dataclass(frozen=True)
class Mutant:
    """One change to one resource of an export, and the promise it breaks (None: it breaks none)."""

    family: str
    urn: str
    change: str
    breaks: str | None
    apply: Callable[[dict[str, Any]], None]

    def applied(self, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The export's resources with this change made to a copy of its resource."""
        changed = [copy.deepcopy(r) if r["urn"] == self.urn else r for r in resources]
        self.apply(next(r for r in changed if r["urn"] == self.urn))
        return changed


def _setter(key: str, value: Any, nested: str | None = None) -> Callable[[dict[str, Any]], None]:
    def apply(resource: dict[str, Any]) -> None:
        target = resource.setdefault("inputs", {})
        if nested:
            target = target[nested]
        target[key] = value

    return apply


def _qualified(resource: dict[str, Any]) -> str:
    return ".".join(str(resource["inputs"].get(key, "")) for key in ("database", "schema", "name"))


def _picked(urn: str, candidates: list[str], count: int) -> list[str]:
    return sorted(candidates, key=lambda c: hashlib.sha256(f"{urn}|{c}".encode()).hexdigest())[:count]


def _grantee_field(resource: dict[str, Any]) -> str | None:
    inputs = resource.get("inputs") or {}
    for key in (
        "accountRoleName",
        "parentRoleName",
        "parentDatabaseRoleName",
        "databaseRoleName",
        "userName",
    ):
        if inputs.get(key) and not (key == "databaseRoleName" and "GrantDatabaseRole" in resource["type"]):
            return key
    return None


def _shipped_facts(resources: list[dict[str, Any]]) -> set[Any]:
    return {fact for r in resources for fact in grant_facts(r["type"], r.get("inputs") or {})}


def _new_facts(resource: dict[str, Any], change: dict[str, Any], resources: list[dict[str, Any]],
               shipped: set[Any] | None = None) -> set[Any]:  # fmt: skip
    """The grant facts a changed grant makes true that the shipped export does not hold."""
    changed = {**resource["inputs"], **change}
    return set(grant_facts(resource["type"], changed)) - (
        shipped if shipped is not None else _shipped_facts(resources)
    )


def grant_retargets(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Each grant given to other roles of the same kind (account roles with the system roles, database roles)."""
    names = {kind: sorted(str((r.get("inputs") or {}).get("name")) for r in resources if r["type"] == kind)
             for kind in (ACCOUNT_ROLE, DATABASE_ROLE)}  # fmt: skip
    database = next((r["inputs"]["name"] for r in resources if r["type"] == DATABASE), "")
    database_roles = [f'"{database}"."{name}"' for name in names[DATABASE_ROLE]]
    shipped = _shipped_facts(resources)
    for resource in (r for r in resources if r["type"] in GRANT_TYPES):
        key = _grantee_field(resource)
        if key is None or key == "userName":
            continue
        current = resource["inputs"][key]
        pool = (
            database_roles
            if "Database" in key or "." in str(current)
            else [*names[ACCOUNT_ROLE], *SYSTEM_GRANTEES]
        )
        for role in _picked(resource["urn"], [c for c in pool if c != current], ROLES_PER_GRANT):
            new = _new_facts(resource, {key: role}, resources, shipped)
            yield Mutant("grant re-targeted", resource["urn"], f"{key} {current} -> {role}",
                         "the access matrix is the whole truth" if new else None, _setter(key, role))  # fmt: skip


def boolean_flips(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Every boolean input (true/false or "true"/"false") flipped, and `protect` flipped."""
    streamed = {unquote(str(r["inputs"].get("table"))) for r in resources if r["type"] == STREAM_ON_TABLE}
    for resource in resources:
        for key, value in (resource.get("inputs") or {}).items():
            if isinstance(value, bool) or str(value).lower() in ("true", "false"):
                flipped = (
                    (not value) if isinstance(value, bool) else str(str(value).lower() != "true").lower()
                )
                promise = PROMISED_BOOLEANS.get((resource["type"], key))
                if resource["type"] == TABLE and key == "changeTracking" and _qualified(resource) in streamed:
                    promise = STREAMED_TABLE_PROMISE
                if resource["type"] in GRANT_TYPES and _new_facts(resource, {key: flipped}, resources):
                    promise = "the access matrix is the whole truth"
                yield Mutant("boolean flipped", resource["urn"], f"{key} {value} -> {flipped}", promise,
                             _setter(key, flipped))  # fmt: skip
        if resource.get("protect"):
            yield Mutant("boolean flipped", resource["urn"], "protect true -> false", "stateful data is protected in prod",
                         lambda r: r.update(protect=False))  # fmt: skip


def schedules_tightened(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Every task and alert schedule made every-minute; on a warehouse, that breaks its share of the quota."""
    for resource in resources:
        inputs = resource.get("inputs") or {}
        on_warehouse = "the schedules' cost stays within the quota" if inputs.get("warehouse") else None
        if resource["type"] == TASK and inputs.get("schedule"):
            yield Mutant("schedule tightened", resource["urn"], f"schedule {inputs['schedule']} -> every minute",
                         on_warehouse, _setter("schedule", {"usingCron": f"{EVERY_MINUTE} UTC"}))  # fmt: skip
        if resource["type"] == ALERT and inputs.get("alertSchedule"):
            schedule = {"cron": {"expression": EVERY_MINUTE, "timeZone": "UTC"}}
            yield Mutant("schedule tightened", resource["urn"], "alertSchedule -> every minute", on_warehouse,
                         _setter("alertSchedule", schedule))  # fmt: skip


def secrets_unwrapped(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Every secret envelope replaced by plain text; in a credential's field that breaks its promise."""
    for resource in resources:
        homes = secret_fields(resource["type"])
        for key, value in (resource.get("inputs") or {}).items():
            if is_secret_envelope(value):
                promise = "a credential is a secret wherever it appears" if key in homes else None
                yield Mutant("secret unwrapped", resource["urn"], f"{key} in plain text", promise,
                             _setter(key, "plain-text-credential"))  # fmt: skip


def ranges_widened(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Every allowed range of a network policy widened by 8 bits, and to the whole internet."""
    for resource in (r for r in resources if r["type"] == NETWORK_POLICY):
        allowed = list(resource["inputs"].get("allowedIpLists") or [])
        for index, entry in enumerate(allowed):
            network = ipaddress.ip_network(entry, strict=False)
            for wider in {str(network.supernet(prefixlen_diff=min(8, network.prefixlen))), "0.0.0.0/0"}:
                changed = [*allowed[:index], wider, *allowed[index + 1 :]]
                yield Mutant("IP range widened", resource["urn"], f"{entry} -> {wider}",
                             "a network policy admits only its configured ranges", _setter("allowedIpLists", changed))  # fmt: skip


def made_transient(resources: list[dict[str, Any]]) -> Iterator[Mutant]:
    """Every database and schema made transient; where the stack protects it, that breaks its promise."""
    for resource in (r for r in resources if r["type"] in (DATABASE, SCHEMA)):
        promise = "protected data is never transient" if resource.get("protect") else None
        value = True if resource["type"] == DATABASE else "true"
        yield Mutant(
            "made transient", resource["urn"], "isTransient -> true", promise, _setter("isTransient", value)
        )


FAMILIES = (
    grant_retargets,
    boolean_flips,
    schedules_tightened,
    secrets_unwrapped,
    ranges_widened,
    made_transient,
)


def mutants(resources: list[dict[str, Any]]) -> list[Mutant]:
    """Every mutant of every family, in a stable order."""
    return [mutant for family in FAMILIES for mutant in family(resources)]
