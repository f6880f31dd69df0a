"""The CrossGuard policy pack: `pulumi preview --policy-pack policies`."""

import pack_path  # noqa: F401  (before the rules, which import models/)
from pulumi_policy import EnforcementLevel, PolicyPack
from sophia_policies.registry import ALL_RULES, PACK_NAME

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=ALL_RULES)
