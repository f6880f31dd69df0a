"""The Airbyte part of the stack config: sources, streams, schedule, notifications and their secrets."""
