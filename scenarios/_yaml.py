"""YAML reading and writing tuned for scenario files.

The reader is PyYAML's safe loader with four fixes: ``12:00`` stays the string "12:00"
(YAML 1.1 would read the base-60 integer 720), ``1e-3`` is a number (not a string), a
key repeated in one mapping is an error instead of silently keeping the last value, and an
impossible date such as ``2026-13-01`` stays text for the schema to report.

It also refuses documents whose size is out of proportion to their text, before building
them: anchors and aliases (``&base`` … ``*base``) may be used, but all the aliases of a
document together may stand for at most `MAX_ALIASED_VALUES` values (a value is a scalar,
a list or a mapping, counted with everything inside it, each time an alias uses it) —
a "billion laughs" of nested aliases is refused after reading a few hundred bytes, with
memory bounded; an alias may not point into its own anchor (a structure that contains
itself); and collections may nest at most `MAX_DEPTH` deep.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["MAX_ALIASED_VALUES", "MAX_DEPTH", "YamlProblem", "read_yaml", "write_yaml"]

MAX_ALIASED_VALUES = 10_000
"""Values all the aliases of one document may stand for together (a scenario needs tens)."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings (a scenario needs 5)."""


class YamlProblem(Exception):
    """A YAML text could not be read; ``line`` and ``column`` are 1-based; ``kind`` says
    whether the text is not YAML or is YAML too large to build."""

    def __init__(self, message: str, *, line: int, column: int, kind: str = "invalid YAML") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.kind = message, line, column, kind


def _too_large(message: str, mark: Any) -> YamlProblem:
    """A `YamlProblem` at ``mark`` (a PyYAML mark: ``line`` and ``column`` from 0)."""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlProblem(message, line=line, column=column, kind="YAML too large")


class _ScenarioLoader(yaml.SafeLoader):
    """The safe loader, counting what aliases expand to and how deep collections nest."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliased = 0
        self._sizes: dict[int, int] = {}
        """id(node) → values in it, aliases expanded; set once the node is complete"""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:
                raise _too_large(
                    f"alias *{event.anchor} points into its own anchor (a structure that "
                    "contains itself); write the values out",
                    mark,
                )
            self._aliased += size
            if self._aliased > MAX_ALIASED_VALUES:
                raise _too_large(
                    f"the aliases up to *{event.anchor} stand for more than "
                    f"{MAX_ALIASED_VALUES} values (nested aliases, a 'billion laughs'?); "
                    "write the values out or alias less",
                    mark,
                )
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _too_large(f"lists and mappings nest more than {MAX_DEPTH} deep here", mark)
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._sizes[id(node)] = self._size(node)
        return node

    def _size(self, node: yaml.Node | None) -> int:
        if isinstance(node, yaml.SequenceNode):
            return 1 + sum(self._sizes[id(item)] for item in node.value)
        if isinstance(node, yaml.MappingNode):
            return 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        return 1


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


_MERGE = "tag:yaml.org,2002:merge"


def _unique_keys(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """The mapping, refusing a key written twice (keys a ``<<: *base`` merge brings in
    may be overridden, as YAML's merge keys mean)."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            mark = key_node.start_mark
            raise YamlProblem(
                "a key must be a plain value, not a list or a mapping",
                line=mark.line + 1,
                column=mark.column + 1,
            ) from None
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
    """Parse one YAML document; `YamlProblem` on a syntax error, a repeated key, a number
    Python will not read (more than 4300 digits) or a document too large to build."""
    try:
        return yaml.load(text, Loader=_ScenarioLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlProblem(str(exc.problem or exc), line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), line=1, column=1) from None
    except ValueError as exc:  # int("9" * 5000): Python's limit on digits
        raise YamlProblem(
            f"a number is too long to read ({str(exc).split(';')[0]})", line=1, column=1
        ) from None


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
