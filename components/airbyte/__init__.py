"""Airbyte as code: typed config, a retrying API client and Pulumi dynamic resources for Airbyte objects."""
