"""The operations guide's set-up of the deploying user matches what the program reads and what Snowflake demands."""

import re
import textwrap

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from models.enums import Authenticator
from offline.stack_files import load_stack_files
from stack.config import SnowflakeAccountConfig, StackConfig
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR, apply_overrides

NS = "sophia-data-platform:"


def _section() -> str:
    page = (PROJECT_DIR / "docs" / "operations.md").read_text()
    section = page[page.index("\n## Authentication of the deploying user") + 1 :]
    return re.split(r"\n#{1,2} ", section[3:], maxsplit=1)[0]


def _blocks(section: str, language: str) -> list[str]:
    """The section's code blocks in one language, without the indentation of the list they sit in."""
    return [textwrap.dedent(block) for block in re.findall(rf"```{language}\n(.*?)```", section, re.S)]


def test_statements_come_in_set_up_order_and_never_pin_a_role() -> None:
    sql = re.sub(r"--[^\n]*", "", "\n".join(_blocks(_section(), "sql")))  # comments out
    order = ["CREATE NETWORK RULE", "CREATE NETWORK POLICY", "CREATE USER", "ADD PROGRAMMATIC ACCESS TOKEN"]
    positions = [sql.index(statement) for statement in order]
    assert positions == sorted(positions)
    assert "SET RSA_PUBLIC_KEY" in sql
    statements = [" ".join(statement.split()) for statement in sql.split(";")]
    token = next(s for s in statements if "ADD PROGRAMMATIC ACCESS TOKEN" in s)
    assert "ROLE_RESTRICTION" not in token  # one token for every provider's role
    user = next(s for s in statements if s.startswith("CREATE USER"))
    policy = re.search(r"CREATE NETWORK POLICY (\w+)", sql).group(1)
    assert f"NETWORK_POLICY = {policy}" in user  # a PAT is refused to a user under no network policy
    assert "TYPE = PERSON" in user  # Snowflake demands ROLE_RESTRICTION on tokens of TYPE = SERVICE users
    assert "PASSWORD" not in user


def test_documented_esc_values_are_the_config_the_program_reads() -> None:
    section = _section()
    (esc,) = [yaml.safe_load(block) for block in _blocks(section, "yaml")]
    keys = {alias for field in StackConfig.model_fields.values() if (alias := field.alias)}
    assert {key.removeprefix(NS) for key in esc} <= keys
    account = dict(esc[f"{NS}snowflakeAccount"], organizationName="ORG", accountName="ACCOUNT")
    assert SnowflakeAccountConfig.model_validate(account).user == "PULUMI_DEPLOY"
    assert all(f"authenticator: {value}" in section or f"or {value}" in section for value in Authenticator)
    assert "pulumi_deploy.p8" in esc[f"{NS}snowflakePrivateKey"]["fn::secret"]


def test_a_key_made_as_documented_is_a_private_key_the_program_takes() -> None:
    """The openssl step writes unencrypted PKCS#8 (the program passes no passphrase); made here at test time."""
    section = _section()
    assert "-out pulumi_deploy.p8 -nocrypt" in section and "pkcs8 -topk8" in section
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    files = load_stack_files(PROJECT_DIR, "dev")
    values = apply_overrides(
        files.values,
        files.project,
        {"snowflakeAccount.authenticator": "SNOWFLAKE_JWT", "snowflakePrivateKey": pem},
    )
    secrets = files.secret_keys | {f"{files.project}:snowflakePrivateKey"}
    config = load_stack_config(files.project, values, secrets)
    assert serialization.load_pem_private_key(config.snowflake_private_key.get_secret_value().encode(), None)
