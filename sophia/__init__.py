"""The sophia command and its services."""
