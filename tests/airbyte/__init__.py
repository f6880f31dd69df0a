"""Airbyte tests: the provider against a local fake of the Airbyte API, and the Airbyte config models."""
