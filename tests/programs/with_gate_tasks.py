"""The program once the quality gate joins it: stand-in gate tasks wired to the receiver's grants."""

# Until components/quality.py is merged the platform passes no gate task to its PromotionTriggers; this
# program declares what QualityGate.tasks will hold (one task per source, named by Naming, created by the
# owner role in SOPHIA_OPS) and wires it exactly as the platform's marked call site will.

import pulumi
import pulumi_snowflake as snowflake

from components.platform import SophiaDataPlatform
from components.promotion import PromotionTriggers, PromotionTriggersArgs
from components.providers import SystemRole
from models.access_matrix import GATE_OPERATOR_ROLE
from models.naming import OPS_SCHEMA, Naming
from stack.loader import load_stack_config, read_pulumi_config

config = load_stack_config(pulumi.get_project(), *read_pulumi_config())
platform = SophiaDataPlatform("sophia", config)
naming = Naming(prefix=config.name_prefix, database=config.database.name)
ops_schema = platform.database.schemas[OPS_SCHEMA]
gate_tasks = {
    source: snowflake.Task(
        f"stand-in-gate-{source.lower()}",
        database=naming.database,
        schema=OPS_SCHEMA,
        name=naming.quality_gate_task(source),
        started=False,
        sql_statement="SELECT 1",  # the gate's own statement is the quality gate's to declare
        opts=pulumi.ResourceOptions(provider=platform.owner.provider, depends_on=[ops_schema]),
    )
    for source in config.sources
}
promotion = PromotionTriggers(
    "stand-in-promotion",
    PromotionTriggersArgs(
        naming=naming,
        role=platform.roles.by_role[GATE_OPERATOR_ROLE],
        database=platform.database.database,
        schemas=platform.database.schemas,
        gate_tasks=gate_tasks,
        connections=platform.ingestion.connections,
        securityadmin=platform.providers.for_role(SystemRole.SECURITYADMIN),
    ),
)
pulumi.export("promotion_triggers", promotion.triggers)
