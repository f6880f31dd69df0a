"""The baseline: a Pulumi program that registers `bench:count` schemas in a bare loop, nothing else."""

import pulumi
import pulumi_snowflake as snowflake

count = int(pulumi.Config("bench").require("count"))
provider = snowflake.Provider("bare", role="SYSADMIN")
for index in range(count):
    snowflake.Schema(
        f"schema-{index}", database="DB", name=f"S{index}", opts=pulumi.ResourceOptions(provider=provider)
    )
