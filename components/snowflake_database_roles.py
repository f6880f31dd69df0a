"""Grants of the SNOWFLAKE database's own roles that a Snowflake feature needs: ALERT_VIEWER, CORTEX_USER."""

# SNOWFLAKE.ALERT functions (SCHEDULED_TIME, LAST_SUCCESSFUL_SCHEDULED_TIME, GET_CONDITION_QUERY_UUID) may only
# be called by a role granted the database role SNOWFLAKE.ALERT_VIEWER (Snowflake, SCHEDULED_TIME usage
# notes). SNOWFLAKE.CORTEX.* functions need SNOWFLAKE.CORTEX_USER, which Snowflake grants to PUBLIC by
# default and many accounts revoke (Snowflake, "Cortex LLM privileges"), so the role that embeds holds it
# itself. Each is granted to the one role that owns the alerts or the tasks, nothing wider.

import pulumi
import pulumi_snowflake as snowflake

from components.providers import SnowflakeProviders, SystemRole
from models.access_matrix import SnowflakeDatabaseRole


def grant_snowflake_database_role(
    parent: pulumi.Resource,
    resource_name: str,
    database_role: SnowflakeDatabaseRole,
    grantee: snowflake.AccountRole,
    providers: SnowflakeProviders,
) -> snowflake.GrantDatabaseRole:
    """GRANT DATABASE ROLE SNOWFLAKE.<role> TO ROLE <grantee>, made by SECURITYADMIN (MANAGE GRANTS)."""
    return snowflake.GrantDatabaseRole(
        resource_name,
        database_role_name=database_role.qualified,
        parent_role_name=grantee.name,
        opts=pulumi.ResourceOptions(
            parent=parent, provider=providers.for_role(SystemRole.SECURITYADMIN), depends_on=[grantee]
        ),
    )
