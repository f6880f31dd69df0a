"""Where the receiver's Snowflake private-key passphrase comes from: the environment, never the command line."""

PASSPHRASE_ENV = "SOPHIA_HOOKS_PRIVATE_KEY_PASSPHRASE"
