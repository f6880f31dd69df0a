"""YAML read through libyaml's safe loader where PyYAML was built with it: the same documents, several times faster."""

from typing import Any

import yaml

# PyYAML's C loader (yaml/cyaml.py) builds the same objects as SafeLoader and raises the same errors.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, on libyaml when it is there."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # a safe loader, C or Python
