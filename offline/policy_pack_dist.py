"""Assembles the publishable policy pack: policies/ with the pure models as a wheel its requirements name.

The pack reaches models/ one way: pip installs the `sophia-models` distribution (models/pyproject.toml)
from the pack's requirements.txt. In the repository that line is `../models`; but `pulumi policy publish`
uploads the pack directory alone (a .tgz of it: pulumi/pulumi pkg/backend/httpstate/policypack.go,
`archive.TGZ(pwd, "package", ...)`), and Pulumi installs a published pack with `pip install -r
requirements.txt` run in the unpacked directory (sdk/python/toolchain/pip.go, `pipCmd.Dir = cwd`). So the
assembled pack carries models/ as a wheel and names it by a path inside the pack.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACK_DIR = REPO / "policies"
MODELS_DIR = REPO / "models"
DEFAULT_OUT = Path("build") / "policy-pack"
# The requirement that installs models/ into the pack's runtime, as policies/requirements.txt writes it.
LOCAL_MODELS = "../models"
WHEELS = "wheels"
# What the pack never needs at run time: Pulumi's virtualenv for local runs, caches, and the per-stack
# overrides that `sophia policy-config` merges into the config handed to the CLI or a policy group.
NOT_PUBLISHED = shutil.ignore_patterns("venv", "__pycache__", "*.pyc", "config")


class PackAssemblyError(Exception):
    """The pack cannot be assembled: a refused output directory, or requirements without the models line."""


def assemble(out: Path, pack_dir: Path = PACK_DIR, models_dir: Path = MODELS_DIR) -> Path:
    """A self-contained copy of the pack in `out`: the rules, PulumiPolicy.yaml, and models/ as a wheel."""
    lines = (pack_dir / "requirements.txt").read_text().splitlines()
    if LOCAL_MODELS not in (line.strip() for line in lines):
        raise PackAssemblyError(f"{pack_dir / 'requirements.txt'} has no {LOCAL_MODELS} line to replace")
    _clear(out.resolve(), pack_dir.resolve())
    shutil.copytree(pack_dir, out, ignore=NOT_PUBLISHED)
    wheel = build_models_wheel(models_dir, out / WHEELS)
    local = f"./{WHEELS}/{wheel.name}"
    (out / "requirements.txt").write_text(
        "\n".join(local if line.strip() == LOCAL_MODELS else line for line in lines) + "\n"
    )
    return out


def build_models_wheel(models_dir: Path, wheels: Path) -> Path:
    """The `sophia-models` wheel, built from a copy so that no build output lands in the repository."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "models"
        shutil.copytree(
            models_dir, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--quiet",
                "--wheel-dir",
                str(wheels),
                str(source),
            ],
            check=True,
        )
    (wheel,) = wheels.glob("sophia_models-*.whl")
    return wheel


def _clear(out: Path, pack_dir: Path) -> None:
    """Removes an earlier assembly at `out`; refuses anything else, and any place inside the pack."""
    if out == pack_dir or pack_dir in out.parents or out in pack_dir.parents:
        raise PackAssemblyError(f"{out} is the pack's own directory, inside it or above it")
    if out.exists():
        if any(out.iterdir()) and not (out / "PulumiPolicy.yaml").is_file():
            raise PackAssemblyError(
                f"{out} exists and is not an assembled pack; name an empty or new directory"
            )
        shutil.rmtree(out)


def main(argv: list[str] | None = None) -> int:
    """`python -m offline.policy_pack_dist [OUT]`: assembles the pack (default build/policy-pack)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    try:
        assemble(out)
    except PackAssemblyError as error:
        print(f"cannot assemble the policy pack: {error}", file=sys.stderr)
        return 2
    print(f"assembled the policy pack in {out}; publish it with: cd {out} && pulumi policy publish <ORG>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
