"""`sophia receiver serve`: Airbyte's sync-success webhook runs the source's quality-gate task in Snowflake."""
