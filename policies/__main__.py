"""The CrossGuard policy pack: `pulumi preview --policy-pack policies`, or published from `make policy-pack`."""

from pulumi_policy import EnforcementLevel, PolicyPack
from sophia_policies.registry import ALL_RULES, PACK_NAME

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=ALL_RULES)
