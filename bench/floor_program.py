"""The honest floor: Pulumi's mock engine registering a plan's resources directly, nothing of the project imported.

`python bench/floor_program.py MANIFEST.json [--same-runtime]` reads the resources a plan registered (type, name, parent,
provider, inputs; `bench/manifest.py` writes the file) and registers each again, in order, with Pulumi's own
`CustomResource` / `ComponentResource` / `ProviderResource` on `pulumi.runtime.set_mocks`, the way Pulumi's
unit-testing guide runs a program. It imports pulumi_snowflake, as any program declaring these types must;
generic resources skip the SDK's typed-argument classes, so this is a lower bound on registering them.
"""

import gc
import json
import sys
from pathlib import Path

import pulumi
import pulumi_snowflake  # noqa: F401  # a program declaring Snowflake resources pays this import

SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
REGISTERED: list[str] = []


class EchoMocks(pulumi.runtime.Mocks):
    """Outputs are the inputs, with a stable id."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        REGISTERED.append(f"{args.typ}::{args.name}")
        return f"{args.name}-id", args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list]:
        return {}, []


def _input(value: object) -> object:
    """Secrets as secret Outputs, as the program registers them; everything else as given."""
    if isinstance(value, dict) and SECRET_SIG_KEY in value:
        return pulumi.Output.secret(value.get("plaintext", "[secret]"))
    if isinstance(value, dict):
        return {key: _input(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_input(item) for item in value]
    return value


def register(resources: list[dict]) -> None:
    """Every resource of the manifest, parents and providers first as the plan registered them."""
    by_urn: dict[str, pulumi.Resource] = {}
    for resource in resources:
        if resource["type"] == "pulumi:pulumi:Stack":
            continue  # set_mocks made the root stack; its children's parent is left empty
        opts = pulumi.ResourceOptions(
            parent=by_urn.get(resource["parent"]), provider=by_urn.get(resource["provider"])
        )
        kind, name = resource["type"], resource["name"]
        if not resource["custom"]:
            made: pulumi.Resource = pulumi.ComponentResource(kind, name, None, opts)
        elif kind.startswith("pulumi:providers:"):
            made = pulumi.ProviderResource(kind.split(":")[-1], name, _input(resource["inputs"]), opts)
        else:
            made = pulumi.CustomResource(kind, name, _input(resource["inputs"]), opts)
        by_urn[resource["urn"]] = made


def main() -> None:
    """Sets Pulumi's mocks and registers the manifest's resources as a program would."""
    same_runtime = "--same-runtime" in sys.argv[2:]
    if same_runtime:
        # As `sophia plan` runs as its process's own command (sophia/cli.py): no cyclic collector, like for like.
        gc.disable()
    manifest = json.loads(Path(sys.argv[1]).read_text())
    pulumi.runtime.set_mocks(EchoMocks(), project=manifest["project"], stack=manifest["stack"], preview=False)
    # Pulumi's public test runner: it waits until every registration has reached the mock engine.
    pulumi.runtime.test(lambda: register(manifest["resources"]))()
    print(json.dumps(REGISTERED))  # what was registered, for tests/test_bench_program.py to compare
    if same_runtime:
        # ... and the plan's own exit, which skips the final full collection.
        gc.freeze()


if __name__ == "__main__":
    main()
