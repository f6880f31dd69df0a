"""The typed stack config: its models, the Airbyte part of it, and the loader that validates it."""
