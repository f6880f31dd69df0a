"""A generated stack for the benchmark: the platform's own components, sized by `bench:sources`.

It wires providers, warehouses, functional roles, the database owner, the database, access control and
governance like SophiaDataPlatform does, leaving out the fixed-size parts (knowledge layer, service users, Airbyte ingestion) so a stack can
be as small as about 100 resources.
"""

import json

import pulumi

from components.access import AccessControl
from components.database import DataPlatformDatabase
from components.governance import Governance
from components.owner import DatabaseOwner
from components.providers import SnowflakeProviders
from components.roles import FunctionalRoles
from components.warehouses import Warehouses
from models.naming import Naming
from models.schema_layout import schema_layout
from stack.loader import load_stack_config, read_pulumi_config

values, secret_keys = read_pulumi_config()
sources = [f"SOURCE_{index:03d}" for index in range(int(values.pop("bench:sources")))]
values[f"{pulumi.get_project()}:sources"] = json.dumps(sources)
for left_out in ("airbyte", "airbyteSecrets"):  # ingestion is not part of the generated stack
    values.pop(f"{pulumi.get_project()}:{left_out}", None)
config = load_stack_config(pulumi.get_project(), values, secret_keys)
naming = Naming(config.name_prefix, config.database.name)
layout = schema_layout(config.sources)
providers = SnowflakeProviders("bench-providers", config)
warehouses = Warehouses("bench-warehouses", config.warehouses, config.resource_monitors, naming, providers)
roles = FunctionalRoles("bench-roles", naming, warehouses.by_purpose, providers)
owner = DatabaseOwner("bench-owner", config.snowflake_account.user, roles, warehouses.by_purpose, providers)
database = DataPlatformDatabase("bench-database", config.database, layout, False, owner, providers)
AccessControl("bench-access", naming, layout, database, roles, owner, providers)
Governance(
    "bench-governance",
    naming,
    layout,
    database.schemas,
    warehouses.by_purpose,
    [naming.functional_role(role) for role in config.pii_allowed_roles],
    owner,
    providers,
)
