"""The Airbyte dynamic provider: a retrying API client, the object kinds and their Pulumi resources."""
