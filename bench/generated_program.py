"""A generated stack for the benchmark: the dev stack with `bench:sources` sources, through SophiaDataPlatform.

It builds the platform exactly as `__main__.py` does, from a generated stack config: the dev stack's values
with the sources replaced by `SOURCE_000`, `SOURCE_001`, ... and no Airbyte (whose sources would each
need credentials), so no quality gate, entity mappings or receiver user either; each source adds its RAW and curated
schemas, their access roles, grants and tags.
"""

import json

import pulumi

from components.platform import SophiaDataPlatform
from stack.loader import load_stack_config, read_pulumi_config
from stack.service_users import RECEIVER_USER

values, secret_keys = read_pulumi_config()
project = pulumi.get_project()
sources = [f"SOURCE_{index:03d}" for index in range(int(values.pop("bench:sources")))]
values[f"{project}:sources"] = json.dumps(sources)
# Entity mappings name Airbyte streams, so they go with it.
for left_out in ("airbyte", "airbyteSecrets", "qualityGate", "qualityGateSecrets", "entityMappings"):
    values.pop(f"{project}:{left_out}", None)
for per_user in ("serviceUsers", "servicePublicKeys"):
    users = json.loads(values[f"{project}:{per_user}"])
    users.pop(RECEIVER_USER, None)  # the receiver runs gate tasks, which a stack without Airbyte has none of
    values[f"{project}:{per_user}"] = json.dumps(users)
SophiaDataPlatform("sophia", load_stack_config(project, values, secret_keys))
