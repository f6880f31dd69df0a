"""Pulumi entry point: load the typed stack config once, build the platform, export its outputs."""

import pulumi

from components.adoption import adopt_from
from components.platform import SophiaDataPlatform
from stack.adoption import load_adoption
from stack.loader import load_stack_config, read_pulumi_config

config = load_stack_config(pulumi.get_project(), *read_pulumi_config())
# Objects the stack's inventory (adoptFrom) holds are imported, not created; the rest are created.
adopt_from(load_adoption(config, pulumi.get_project()))
platform = SophiaDataPlatform("sophia", config)

pulumi.export("database", platform.database.database.name)
pulumi.export("warehouses", {p.value: w.name for p, w in platform.warehouses.by_purpose.items()})
pulumi.export("monthly_credit_ceiling", platform.monthly_credit_ceiling)
# `pulumi stack output --json` is the triggers file of `sophia receiver serve`: connection id -> gate task.
pulumi.export("promotion_triggers", platform.promotion_triggers)
# What the Cortex Search service's serving bills a month (0 with the vector view), beside the credit ceiling.
pulumi.export("monthly_search_serving_credits", config.semantic.monthly_serving_credits)
