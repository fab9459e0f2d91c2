"""YAML reading and writing tuned for scenario files.

The reader is PyYAML's safe loader with four fixes: ``12:00`` stays the string "12:00"
(YAML 1.1 would read the base-60 integer 720), ``1e-3`` is a number (not a string), a
key repeated in one mapping is an error instead of silently keeping the last value, and an
impossible date such as ``2026-13-01`` stays text for the schema to report.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["YamlProblem", "read_yaml", "write_yaml"]


class YamlProblem(Exception):
    """A YAML text could not be read; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, *, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _ScenarioLoader(yaml.SafeLoader):
    pass


_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.VERBOSE,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.VERBOSE,
)


def _without_base_60() -> None:
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if not tag.endswith((":int", ":float"))]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _ScenarioLoader.yaml_implicit_resolvers = resolvers
    _ScenarioLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
    _ScenarioLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _unique_keys(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            mark = key_node.start_mark
            raise YamlProblem(
                f"key {key!r} appears twice in one mapping",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # 2026-13-01: leave it to the schema to say what is wrong
        return loader.construct_scalar(node)


_without_base_60()
_ScenarioLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)
_ScenarioLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def read_yaml(text: str) -> Any:
    """Parse one YAML document; `YamlProblem` on a syntax error or a repeated key."""
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlProblem(str(exc.problem or exc), line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), line=1, column=1) from None


class _ScenarioDumper(yaml.SafeDumper):
    pass


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    inline = all(not isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_ScenarioDumper.add_representer(list, _represent_list)


def write_yaml(data: Any) -> str:
    """Block-style YAML, keys in the given order, lists of plain values on one line."""
    text: str = yaml.dump(
        data,
        Dumper=_ScenarioDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )
    return text
