"""Calculated query cost, as Shopify's "GraphQL Admin API rate limits" page describes it.

Requested cost, from the query before it runs: scalars and enums 0, objects 1, an interface
or union the most expensive of its selections, a connection 2 plus `first` (or `last`)
times the cost of one node, a mutation field 10. A list asked for by ids (`nodes(ids:)`)
costs one object per id: the number of ids times the cost of one node (the docs size lists
by what the query asks for; this is the stricter reading where they say no more). A
fragment counts only on the types its condition matches. Actual cost, from the answer: the same
rules over what came back (a connection counts the nodes it returned, a null object
nothing), so it is never above the requested cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

MUTATION_COST = 10
CONNECTION_BASE = 2

Fragments = Mapping[str, FragmentDefinitionNode]


class Coster:
    """Requested and actual cost of one operation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Fragments,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self._expanded: dict[tuple[int, str], list[tuple[FieldNode, Any]]] = {}

    @property
    def root(self) -> GraphQLObjectType:
        root = (
            self.schema.mutation_type
            if self.operation.operation.value == "mutation"
            else self.schema.query_type
        )
        assert root is not None
        return root

    def _fields(
        self, selection_set: SelectionSetNode | None, parent: Any
    ) -> list[tuple[FieldNode, Any]]:
        """The fields selected on `parent` (fragments expanded), each with its parent type;
        remembered per selection, as the actual cost visits it once per object returned."""
        if selection_set is None:
            return []
        key = (id(selection_set), getattr(parent, "name", ""))
        known = self._expanded.get(key)
        if known is None:
            known = self._expanded[key] = self._expand(selection_set, parent)
        return known

    def _expand(self, selection_set: SelectionSetNode, parent: Any) -> list[tuple[FieldNode, Any]]:
        found: list[tuple[FieldNode, Any]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                kind = (
                    self.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                if self._applies(kind, parent):
                    found.extend(self._fields(selection.selection_set, kind))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    kind = self.schema.get_type(fragment.type_condition.name.value)
                    if self._applies(kind, parent):
                        found.extend(self._fields(fragment.selection_set, kind))
        return found

    def _applies(self, condition: Any, parent: Any) -> bool:
        """Whether a fragment on `condition` selects anything on an object of `parent`
        (an abstract parent: any fragment may)."""
        if condition is None or parent is None or condition is parent:
            return True
        if is_abstract_type(parent):
            return True
        if is_abstract_type(condition):
            return bool(self.schema.is_sub_type(condition, parent))
        return False

    def _members(self, kind: Any) -> list[Any]:
        """The object types a union or interface may be."""
        return list(self.schema.get_possible_types(kind))

    def _ids(self, node: FieldNode) -> int | None:
        """How many ids a field asked for by `ids:` (a literal list or a variable); None
        for a field without that argument."""
        for argument in node.arguments or ():
            if argument.name.value != "ids":
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                found = self.variables.get(value.name.value)
                return len(found) if isinstance(found, list) else 1
            if isinstance(value, ListValueNode):
                return len(value.values)
            return 1
        return None

    def _size(self, node: FieldNode) -> int:
        """`first` (or `last`) of a connection field: a literal or a variable."""
        for argument in node.arguments or ():
            if argument.name.value not in ("first", "last"):
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                found = self.variables.get(value.name.value)
            elif isinstance(value, IntValueNode):
                found = int(value.value)
            else:
                found = None
            if isinstance(found, int) and found > 0:
                return found
        return 0

    def requested(self) -> int:
        """The cost charged before the query runs."""
        if self.operation.operation.value == "mutation":
            return MUTATION_COST * len(self._fields(self.operation.selection_set, self.root))
        return self._requested(self.operation.selection_set, self.root)

    def _requested(self, selection_set: SelectionSetNode | None, parent: Any) -> int:
        total = 0
        for node, owner in self._fields(selection_set, parent):
            fields = getattr(owner, "fields", None)
            if fields is None or node.name.value not in fields:
                continue
            field_def = fields[node.name.value]
            kind = get_named_type(field_def.type)
            if is_leaf_type(kind):
                continue
            ids = self._ids(node)
            if kind.name.endswith("Connection"):
                total += CONNECTION_BASE + self._size(node) * self._per_node(node, kind)
            elif is_abstract_type(kind):
                one = 1 + max(
                    (self._requested(node.selection_set, m) for m in self._members(kind)),
                    default=0,
                )
                total += one * (1 if ids is None else ids)
            elif ids is not None:
                total += ids * (1 + self._requested(node.selection_set, kind))
            else:
                total += 1 + self._requested(node.selection_set, kind)
        return total

    def _per_node(self, node: FieldNode, connection: Any) -> int:
        """Cost of one node of a connection selection (`edges { node }` or `nodes`)."""
        per = 0
        for child, owner in self._fields(node.selection_set, connection):
            name = child.name.value
            if name == "nodes":
                node_type = get_named_type(owner.fields["nodes"].type)
                per = max(per, 1 + self._requested(child.selection_set, node_type))
            elif name == "edges":
                edge_type = get_named_type(owner.fields["edges"].type)
                for inner, edge_owner in self._fields(child.selection_set, edge_type):
                    if inner.name.value == "node":
                        node_type = get_named_type(edge_owner.fields["node"].type)
                        per = max(per, 1 + self._requested(inner.selection_set, node_type))
        return per

    def actual(self, data: Mapping[str, Any] | None) -> int:
        """The cost of what the answer holds."""
        if data is None:
            return 0
        if self.operation.operation.value == "mutation":
            return MUTATION_COST * len(self._fields(self.operation.selection_set, self.root))
        return self._actual(self.operation.selection_set, self.root, data)

    def _actual(self, selection_set: SelectionSetNode | None, parent: Any, data: Any) -> int:
        if not isinstance(data, Mapping):
            return 0
        total = 0
        for node, owner in self._fields(selection_set, parent):
            fields = getattr(owner, "fields", None)
            if fields is None or node.name.value not in fields:
                continue
            key = node.alias.value if node.alias else node.name.value
            value = data.get(key)
            field_def = fields[node.name.value]
            kind = get_named_type(field_def.type)
            if is_leaf_type(kind) or value is None:
                continue
            if kind.name.endswith("Connection"):
                total += CONNECTION_BASE + self._connection_actual(node, kind, value)
            elif _is_list(field_def.type) and self._ids(node) is not None:
                total += sum(
                    1 + self._object_actual(node, kind, item) for item in value if item is not None
                )
            elif _is_list(field_def.type):
                total += 1 + max(
                    (self._object_actual(node, kind, item) for item in value), default=0
                )
            else:
                total += 1 + self._object_actual(node, kind, value)
        return total

    def _object_actual(self, node: FieldNode, kind: Any, value: Any) -> int:
        if is_abstract_type(kind):
            return max(
                (self._actual(node.selection_set, m, value) for m in self._members(kind)),
                default=0,
            )
        return self._actual(node.selection_set, kind, value)

    def _connection_actual(self, node: FieldNode, connection: Any, value: Mapping[str, Any]) -> int:
        best = 0
        for child, owner in self._fields(node.selection_set, connection):
            key = child.alias.value if child.alias else child.name.value
            items = value.get(key)
            if not isinstance(items, list):
                continue
            name = child.name.value
            if name == "nodes":
                node_type = get_named_type(owner.fields["nodes"].type)
                cost = sum(1 + self._actual(child.selection_set, node_type, i) for i in items)
                best = max(best, cost)
            elif name == "edges":
                edge_type = get_named_type(owner.fields["edges"].type)
                for inner, edge_owner in self._fields(child.selection_set, edge_type):
                    if inner.name.value != "node":
                        continue
                    inner_key = inner.alias.value if inner.alias else "node"
                    node_type = get_named_type(edge_owner.fields["node"].type)
                    cost = sum(
                        1 + self._actual(inner.selection_set, node_type, edge.get(inner_key))
                        for edge in items
                        if isinstance(edge, Mapping)
                    )
                    best = max(best, cost)
        return best


def _is_list(kind: Any) -> bool:
    if is_non_null_type(kind):
        kind = kind.of_type
    return bool(is_list_type(kind))
