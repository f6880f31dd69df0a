"""Where a resource comes from in the repository: the stack-file key that configures it, or its component."""

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from offline.urns import parse_urn

COMPONENT_TYPE = re.compile(r"^sophia:(?P<module>\w+):\w+$")
NAME_SEGMENT = re.compile(r"[-_]")
PROVIDER_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class SourceLocation:
    """A repository-relative file and 1-based line, with the stack-file key or component it stands for."""

    path: str
    line: int
    what: str


class SourceLocator:
    """Finds, for a URN, the line a reviewer would change: a stack-file key, else the declaring component."""

    def __init__(self, project_dir: Path, stack: str | None) -> None:
        self._project_dir = project_dir
        self._stack_file = f"Pulumi.{stack}.yaml" if stack else None

    def locate(self, urn: str) -> SourceLocation:
        """The stack-file key, else the component's declaring line, else the stack file, else `Pulumi.yaml`."""
        return self.stack_key(urn) or self.component(urn) or self._fallback()

    def stack_key(self, urn: str) -> SourceLocation | None:
        """`<project>:<module>` of the resource's component in the stack file, narrowed to a key in its name.

        Components are `sophia:<module>:<Name>` and read the stack key of the same name (`warehouses`), and
        resource names carry the entry they were made for (`sophia-warehouses-analytics-warehouse`).
        """
        parsed, component = parse_urn(urn), _component(urn)
        if parsed is None or component is None or self._stack_file is None:
            return None
        key = f"{parsed.project}:{component[0]}"
        entry = self._config_keys.get(key)
        if entry is None:
            return None
        line, children = entry
        segments = {segment.upper() for segment in NAME_SEGMENT.split(parsed.name)}
        for child, child_line in children.items():
            if child.upper() in segments:
                return SourceLocation(self._stack_file, child_line, f"{key}.{child}")
        return SourceLocation(self._stack_file, line, key)

    def component(self, urn: str) -> SourceLocation | None:
        """`components/<module>.py` of the innermost component, at the line that constructs the resource."""
        parsed, component = parse_urn(urn), _component(urn)
        if parsed is None or component is None:
            return None
        module, component_type = component
        path = f"components/{module}.py"
        try:
            lines = (self._project_dir / path).read_text().splitlines()
        except OSError:
            return None
        # `snowflake.Table(`, `Table(`, `snowflake.Table` handed to a helper, then `AirbyteConnection(`;
        # never a type annotation.
        name = "Provider" if parsed.type.startswith(PROVIDER_PREFIX) else parsed.type.rsplit(":", 1)[-1]
        patterns = (rf"\.{name}\(", rf"(?<!\w){name}\(", rf"\.{name}\s*[,)]", rf"\w{name}\(")
        for pattern in (re.compile(p) for p in patterns):
            for number, text in enumerate(lines, start=1):
                if pattern.search(text):
                    return SourceLocation(path, number, component_type)
        return SourceLocation(path, 1, component_type)

    def _fallback(self) -> SourceLocation:
        if self._stack_file and (self._project_dir / self._stack_file).is_file():
            return SourceLocation(self._stack_file, 1, "stack file")
        return SourceLocation("Pulumi.yaml", 1, "project file")

    @cached_property
    def _config_keys(self) -> dict[str, tuple[int, dict[str, int]]]:
        """Each `config:` key of the stack file with its line, and the lines of its mapping's own keys."""
        try:
            root = yaml.compose((self._project_dir / str(self._stack_file)).read_text())
        except (OSError, yaml.YAMLError):
            return {}
        config = _mapping_value(root, "config")
        if not isinstance(config, yaml.MappingNode):
            return {}
        keys = {}
        for key_node, value_node in config.value:
            children = (
                {child.value: child.start_mark.line + 1 for child, _ in value_node.value}
                if isinstance(value_node, yaml.MappingNode)
                else {}
            )
            keys[str(key_node.value)] = (key_node.start_mark.line + 1, children)
        return keys


def _component(urn: str) -> tuple[str, str] | None:
    """Module and type of the innermost `sophia:<module>:<Name>` component in the URN's type chain."""
    parsed = parse_urn(urn)
    if parsed is None:
        return None
    for component_type in reversed(parsed.type_chain[:-1]):
        match = COMPONENT_TYPE.match(component_type)
        if match:
            return match["module"], component_type
    return None


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if k.value == key), None)
