"""Type tokens and property helpers for the pulumi-snowflake resources the rules inspect."""

import csv
from collections.abc import Mapping
from typing import Any

ACCOUNT_ROLE = "snowflake:index/accountRole:AccountRole"
DATABASE = "snowflake:index/database:Database"
DATABASE_ROLE = "snowflake:index/databaseRole:DatabaseRole"
EXECUTE = "snowflake:index/execute:Execute"
GRANT_ACCOUNT_ROLE = "snowflake:index/grantAccountRole:GrantAccountRole"
GRANT_DATABASE_ROLE = "snowflake:index/grantDatabaseRole:GrantDatabaseRole"
GRANT_OWNERSHIP = "snowflake:index/grantOwnership:GrantOwnership"
GRANT_TO_ACCOUNT_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
GRANT_TO_DATABASE_ROLE = "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole"
LEGACY_SERVICE_USER = "snowflake:index/legacyServiceUser:LegacyServiceUser"
MASKING_POLICY = "snowflake:index/maskingPolicy:MaskingPolicy"
NETWORK_POLICY_ATTACHMENT = "snowflake:index/networkPolicyAttachment:NetworkPolicyAttachment"
RESOURCE_MONITOR = "snowflake:index/resourceMonitor:ResourceMonitor"
SCHEMA = "snowflake:index/schema:Schema"
SERVICE_USER = "snowflake:index/serviceUser:ServiceUser"
STREAM_ON_TABLE = "snowflake:index/streamOnTable:StreamOnTable"
TABLE = "snowflake:index/table:Table"
TAG = "snowflake:index/tag:Tag"
TAG_ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation"
TASK = "snowflake:index/task:Task"
USER = "snowflake:index/user:User"
VIEW = "snowflake:index/view:View"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"

USERS = (SERVICE_USER, LEGACY_SERVICE_USER, USER)
PROCEDURES = tuple(
    f"snowflake:index/procedure{lang}:Procedure{lang}"
    for lang in ("Java", "Javascript", "Python", "Scala", "Sql")
)
ADMIN_ROLES = frozenset({"ACCOUNTADMIN", "SECURITYADMIN"})
SYSTEM_ROLES = frozenset({"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", "ORGADMIN", "PUBLIC"})

# Warehouse sizes from smallest to largest, under every spelling pulumi-snowflake accepts.
WAREHOUSE_SIZES = (
    ("XSMALL", "X-SMALL"),
    ("SMALL",),
    ("MEDIUM",),
    ("LARGE",),
    ("XLARGE", "X-LARGE"),
    ("XXLARGE", "X2LARGE", "2X-LARGE"),
    ("XXXLARGE", "X3LARGE", "3X-LARGE"),
    ("X4LARGE", "4X-LARGE"),
    ("X5LARGE", "5X-LARGE"),
    ("X6LARGE", "6X-LARGE"),
)


def size_rank(size: str) -> int:
    """Position of a warehouse size from XSMALL (0) up; -1 for a size Snowflake does not know."""
    for rank, spellings in enumerate(WAREHOUSE_SIZES):
        if size.upper() in spellings:
            return rank
    return -1


def identifier_parts(name: str) -> list[str]:
    """`"DB"."S"."T"` or `DB.S.T` becomes `["DB", "S", "T"]`; a dot inside double quotes stays in its part."""
    # Identifiers quote as CSV fields do: double quotes, doubled inside to escape one.
    return next(csv.reader([str(name)], delimiter=".", quotechar='"'), [])


def unquote(name: str) -> str:
    """`"DB"."ROLE"` becomes `DB.ROLE`, so names compare however a grant spelled them."""
    return str(name).replace('"', "")


def number(props: Mapping[str, Any], key: str, default: float | None = None) -> float | None:
    """Numbers reach policies as floats (and sometimes strings); None when absent."""
    value = props.get(key, default)
    return None if value is None else float(value)


AUTHENTICATION_POLICY = "snowflake:index/authenticationPolicy:AuthenticationPolicy"
USER_AUTHENTICATION_POLICY_ATTACHMENT = (
    "snowflake:index/userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment"
)
USER_PAT = "snowflake:index/userProgrammaticAccessToken:UserProgrammaticAccessToken"
ROW_ACCESS_POLICY = "snowflake:index/rowAccessPolicy:RowAccessPolicy"
