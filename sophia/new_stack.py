"""`sophia new-stack NAME --from STACK`: a new stack is a copy of a stack file with its names changed.

Everything else derives from the stack file (role names from namePrefix, policy config defaults from those
names, workflows from the stack files there are), so the copy, checked, is the whole change; the secrets
are the user's to give, and the command says which, in the shape the ESC environment takes.
"""

import re
from pathlib import Path

import yaml
from rich.console import Console

from offline.stack_files import StackFileError, available_stacks, load_stack_files
from sophia.exits import EXIT_OK, invalid
from stack.config import StackConfig
from stack.loader import ConfigError, load_stack_config
from stack.quality_gate import QualityGateSecrets

STACK_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
ENVIRONMENTS = ("dev", "staging", "prod")


class NewStackError(ValueError):
    """A stack that cannot be made: a bad name, a source that is not there, a target that is."""


def new_stack(project_dir: Path, name: str, source: str, out: Console, err: Console) -> int:
    """Writes Pulumi.<name>.yaml from Pulumi.<source>.yaml with its names changed, checks it, says what ESC needs."""
    target = project_dir / f"Pulumi.{name}.yaml"
    try:
        text, changes = _renamed(project_dir, name, source)
        if target.exists():
            raise NewStackError(
                f"{target.name} exists already; stacks here: {', '.join(available_stacks(project_dir))}"
            )
        target.write_text(text)
        try:
            files = load_stack_files(project_dir, name)
            config = load_stack_config(files.project, files.values, files.secret_keys)
        except (StackFileError, ConfigError):
            target.unlink()
            raise
    except (NewStackError, StackFileError, ConfigError) as error:
        return invalid(err, f"cannot make stack {name!r}", error)
    out.out(f"wrote {target.name} from Pulumi.{source}.yaml: " + "; ".join(changes), highlight=False)
    environments = yaml.safe_load(text).get("environment") or []
    out.out(_secrets_to_give(config, files.project, environments), highlight=False)
    out.out(f"then: bin/sophia plan {name}", highlight=False)
    return EXIT_OK


def _renamed(project_dir: Path, name: str, source: str) -> tuple[str, list[str]]:
    """The source stack file's text with the stack's names changed, and what changed."""
    if not STACK_NAME.fullmatch(name):
        raise NewStackError(
            f"stack name {name!r} is not allowed; allowed: lower-case letters, digits and -, from a letter"
        )
    path = project_dir / f"Pulumi.{source}.yaml"
    if not path.is_file():
        raise NewStackError(
            f"no stack {source!r} to copy; stacks here: {', '.join(available_stacks(project_dir))}"
        )
    text = path.read_text()
    document = yaml.safe_load(text) or {}
    config = document.get("config") or {}
    project = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())["name"]
    prefix = config.get(f"{project}:namePrefix")
    changes = []
    if isinstance(prefix, str):
        base = prefix.removesuffix(f"_{source.upper().replace('-', '_')}")
        new_prefix = f"{base}_{name.upper().replace('-', '_')}"
        text = re.sub(rf"\b{re.escape(prefix)}\b", new_prefix, text)
        changes.append(f"{prefix} -> {new_prefix} (namePrefix, database.name and every name built from them)")
    if name in ENVIRONMENTS:
        text = re.sub(rf"^(\s*{re.escape(project)}:environment:\s*)\S+", rf"\g<1>{name}", text, flags=re.M)
        changes.append(f"environment: {name}")
    else:
        kept = config.get(f"{project}:environment")
        changes.append(
            f"environment stays {kept} (only a stack named {', '.join(ENVIRONMENTS)} takes its name)"
        )
    for environment in document.get("environment") or []:
        renamed = re.sub(rf"(^|/){re.escape(source)}$", rf"\g<1>{name}", str(environment))
        if renamed != environment:
            text = re.sub(
                rf"^(\s*-\s*){re.escape(str(environment))}\s*$", rf"\g<1>{renamed}", text, flags=re.M
            )
            changes.append(f"ESC environment {environment} -> {renamed}")
    return text, changes


def _secrets_to_give(config: StackConfig, project: str, environments: list[str]) -> str:
    """The keys the ESC environment must hold for this stack, as a skeleton of its definition."""
    where = f"the ESC environment {', '.join(environments)}" if environments else "pulumi config set --secret"
    lines = [f"put in {where} (values.pulumiConfig):", f"  {project}:snowflakeAccount:"]
    lines += [f"    {key}: <{key}>" for key in ("organizationName", "accountName", "user", "authenticator")]
    lines += [f"  {project}:snowflakeToken:", "    fn::secret: <programmatic access token>"]
    lines += [f"  {project}:servicePublicKeys:"]
    lines += [f"    {user}: <base64 RSA public key>" for user in sorted(config.service_users)]
    if config.airbyte is not None:
        lines += [
            f"  {project}:airbyteSecrets:",
            "    fn::secret:",
            "      apiCredentials: {bearerToken: <token>}",
        ]
        lines += ["      notifications:", "        success: {webhookUrl: https://<receiver>/airbyte/<token>}"]
        lines += [
            "        failure: {webhookUrl: https://<team channel>}",
            "      destination: {privateKey: <PEM>}",
        ]
        lines += ["      sources:"]
        for source, settings in sorted(config.airbyte.sources.items()):
            fields = ", ".join(f"{field}: <{field}>" for field in sorted(settings.credentials))
            lines.append(f"        {source}: {{credentials: {{{fields}}}}}")
    if config.quality_gate is not None and config.quality_gate.alerts.notify.kind.is_webhook:
        secrets = config.quality_gate_secrets or QualityGateSecrets()
        needed, _ = secrets.credential(config.quality_gate.alerts.notify.kind)
        lines += [f"  {project}:qualityGateSecrets:", f"    fn::secret: {{{needed}: <{needed}>}}"]
    return "\n".join(lines)
