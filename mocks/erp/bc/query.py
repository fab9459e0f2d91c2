"""OData query options of the Business Central dialect, honoured or refused, never ignored.

``$filter`` is parsed by the ``odata-query`` library (its lexer and parser give an AST; its
SQLAlchemy Core visitor turns it into a WHERE clause) over the properties an entity set
declares (`mocks.erp.bc.entities`): ``eq ne gt ge lt le``, ``in``, ``and or not``,
``contains startswith endswith tolower toupper`` on every scalar property. What Business
Central refuses is refused here too: ``or`` over two different properties ("The 'OR'
operator is not supported on distinct fields on an OData filter", Microsoft's "Known
limitations with Business Central OData"), lambda operators, navigation paths, arithmetic
and other functions. ``$select``, ``$orderby`` (several keys, ``asc``/``desc``), ``$top``,
``$skip``, ``$count=true``, ``$expand`` of document lines and ``$skiptoken`` paging apply to
every collection; ``$select`` and ``$expand`` to single entities. Any other ``$`` option,
or one of these where it does not apply, is a 400 naming it, in Business Central's error
body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from odata_query import ast
from odata_query import exceptions as odata_errors
from odata_query.grammar import ODataLexer, ODataParser
from odata_query.sqlalchemy.core import AstToSqlAlchemyCoreVisitor
from sqlalchemy import Connection, Select, func, literal, select
from sqlalchemy.sql import ColumnElement

from mocks.core import ApiError
from mocks.erp.bc.entities import EntitySet, Prop
from mocks.erp.bc.odata import decode_token, next_link

COLLECTION_OPTIONS = frozenset(
    {"$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand", "$skiptoken"}
)
ENTITY_OPTIONS = frozenset({"$select", "$expand"})
FUNCTIONS = frozenset({"contains", "startswith", "endswith", "tolower", "toupper"})
"""``$filter`` functions Business Central documents that map onto its filters."""

_LITERALS: dict[str, tuple[type[ast._Node], ...]] = {
    "Edm.String": (ast.String,),
    "Edm.Guid": (ast.GUID, ast.String),
    "Edm.Decimal": (ast.Integer, ast.Float),
    "Edm.Int32": (ast.Integer,),
    "Edm.Boolean": (ast.Boolean,),
    "Edm.Date": (ast.Date,),
    "Edm.DateTimeOffset": (ast.DateTime, ast.Date),
}
_EXAMPLES = {
    "Edm.String": "'text'",
    "Edm.Guid": "a GUID without quotes",
    "Edm.Decimal": "a number",
    "Edm.Int32": "an integer",
    "Edm.Boolean": "true or false",
    "Edm.Date": "a date such as 2026-11-27",
    "Edm.DateTimeOffset": "a date-time such as 2026-11-27T14:05:00Z",
}


def bad(option: str, reason: str, *, code: str = "BadRequest") -> ApiError:
    """The 400 for a query option that cannot be honoured."""
    return ApiError(400, f"{option}: {reason}", code=code, field=option)


@dataclass(frozen=True, slots=True)
class Options:
    """The query options of one request, checked against one entity set."""

    entity: EntitySet
    where: ColumnElement[bool] | None = None
    order: tuple[tuple[ColumnElement[Any], bool], ...] = ()
    select: tuple[str, ...] | None = None
    expand: bool = False
    top: int | None = None
    skip: int = 0
    count: bool = False
    after: int = 0
    """Rows of the result already sent on earlier pages (``$skiptoken``)."""


def check_names(params: Iterable[tuple[str, str]], allowed: frozenset[str]) -> dict[str, str]:
    """The ``$`` options of a query string, each allowed here and given once."""
    options: dict[str, str] = {}
    for key, value in params:
        if not key.startswith("$"):
            continue
        if key not in allowed:
            what = "on this request" if key in COLLECTION_OPTIONS else "by this API"
            raise bad(
                key,
                f"the query option is not supported {what}; use {', '.join(sorted(allowed))}.",
                code="BadRequest_NotSupported",
            )
        if key in options:
            raise bad(key, "the query option is given twice; give it once.")
        options[key] = value
    return options


def collection_options(params: Iterable[tuple[str, str]], entity: EntitySet) -> Options:
    """Parse and check the query options of a collection request."""
    raw = check_names(params, COLLECTION_OPTIONS)
    return Options(
        entity=entity,
        where=parse_filter(raw["$filter"], entity) if "$filter" in raw else None,
        order=parse_orderby(raw["$orderby"], entity) if "$orderby" in raw else (),
        select=parse_select(raw["$select"], entity) if "$select" in raw else None,
        expand=parse_expand(raw["$expand"], entity) if "$expand" in raw else False,
        top=_count_of("$top", raw["$top"]) if "$top" in raw else None,
        skip=_count_of("$skip", raw["$skip"]) if "$skip" in raw else 0,
        count=_boolean("$count", raw["$count"]) if "$count" in raw else False,
        after=_token(raw["$skiptoken"]) if "$skiptoken" in raw else 0,
    )


def entity_options(params: Iterable[tuple[str, str]], entity: EntitySet) -> Options:
    """Parse and check the query options of a single-entity request."""
    raw = check_names(params, ENTITY_OPTIONS)
    return Options(
        entity=entity,
        select=parse_select(raw["$select"], entity) if "$select" in raw else None,
        expand=parse_expand(raw["$expand"], entity) if "$expand" in raw else False,
    )


def _count_of(option: str, text: str) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise bad(option, f"must be a non-negative integer, got {text!r}.")
    return int(text)


def _boolean(option: str, text: str) -> bool:
    if text not in ("true", "false"):
        raise bad(option, f"must be true or false, got {text!r}.")
    return text == "true"


def _token(text: str) -> int:
    value = decode_token(text)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62:
        return value
    raise bad("$skiptoken", "is not valid here; follow @odata.nextLink as given.")


def _prop(option: str, name: str, entity: EntitySet) -> Prop:
    found = entity.props.get(name)
    if found is None:
        raise bad(
            option,
            f"the property {name!r} does not exist on {entity.type_name}; use one of "
            f"{', '.join(entity.props)}.",
            code="BadRequest_PropertyNotFound",
        )
    return found


def parse_select(text: str, entity: EntitySet) -> tuple[str, ...] | None:
    """``$select``: property names (``*`` = all)."""
    names = [x.strip() for x in text.split(",")]
    if any(not n for n in names):
        raise bad("$select", f"give property names separated by commas, got {text!r}.")
    if names == ["*"]:
        return None
    for name in names:
        if name != entity.lines:
            _prop("$select", name, entity)
    return tuple(names)


def parse_expand(text: str, entity: EntitySet) -> bool:
    """``$expand``: only the lines of a document (without nested options)."""
    for name in (x.strip() for x in text.split(",")):
        if "(" in name:
            raise bad("$expand", f"options inside $expand are not supported, got {name!r}.")
        if entity.lines is None or name != entity.lines:
            can = f"only {entity.lines}" if entity.lines else "nothing"
            raise bad(
                "$expand",
                f"{name!r} cannot be expanded on {entity.type_name}; {can} can.",
                code="BadRequest_NotSupported",
            )
    return True


def parse_orderby(text: str, entity: EntitySet) -> tuple[tuple[ColumnElement[Any], bool], ...]:
    """``$orderby``: ``property [asc|desc]`` separated by commas."""
    keys: list[tuple[ColumnElement[Any], bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise bad("$orderby", f"use 'property asc' or 'property desc', got {part.strip()!r}.")
        keys.append((_prop("$orderby", words[0], entity).expr, words[-1] == "desc"))
    return tuple(keys)


def parse_filter(text: str, entity: EntitySet) -> ColumnElement[bool]:
    """``$filter`` as a WHERE clause (see the module docstring)."""
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(text))
    except odata_errors.ODataException as error:
        raise bad("$filter", f"cannot parse {text!r}: {error}.") from None
    if tree is None:
        raise bad("$filter", "is empty; give an expression such as number eq '1000'.")
    _check_or(tree)
    visitor = _Visitor(entity)
    try:
        clause: ColumnElement[bool] = visitor.visit(tree)
    except odata_errors.ODataException as error:
        raise bad("$filter", f"{error}.") from None
    return clause


def _fields(node: ast._Node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Identifier):
            found.add(current.name)
        for value in vars(current).values():
            if isinstance(value, ast._Node):
                stack.append(value)
            elif isinstance(value, list | tuple):
                stack.extend(v for v in value if isinstance(v, ast._Node))
    return found


def _check_or(node: ast._Node) -> None:
    """Business Central refuses ``or`` over two different properties."""
    stack = [node]
    while stack:
        current = stack.pop()
        distinct = isinstance(current, ast.BoolOp) and isinstance(current.op, ast.Or)
        if distinct and len(_fields(current)) > 1:
            raise bad(
                "$filter",
                "The 'OR' operator is not supported on distinct fields on an OData "
                f"filter (here: {', '.join(sorted(_fields(current)))}); send one "
                "request per property.",
                code="BadRequest_NotSupported",
            )
        for value in vars(current).values():
            if isinstance(value, ast._Node):
                stack.append(value)
            elif isinstance(value, list | tuple):
                stack.extend(v for v in value if isinstance(v, ast._Node))


class _Visitor(AstToSqlAlchemyCoreVisitor):
    """odata-query's Core visitor over an entity set's properties instead of one table."""

    def __init__(self, entity: EntitySet) -> None:
        self.entity = entity

    def visit_Identifier(self, node: ast.Identifier) -> Any:
        return _prop("$filter", node.name, self.entity).expr

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        raise bad("$filter", f"navigation paths are not supported, got {node.attr!r}.")

    def visit_CollectionLambda(self, node: Any) -> Any:
        raise bad("$filter", "lambda operators (any, all) are not supported.")

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        raise bad("$filter", "arithmetic (add, sub, mul, div, mod) is not supported.")

    def visit_GUID(self, node: ast.GUID) -> Any:
        return literal(str(node.py_val))

    def visit_DateTime(self, node: ast.DateTime) -> Any:
        moment: datetime = node.py_val
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return literal(moment)

    def visit_Call(self, node: ast.Call) -> Any:
        name = node.func.name.lower()
        if name not in FUNCTIONS:
            raise bad(
                "$filter",
                f"the function {node.func.name}() is not supported; use "
                f"{', '.join(sorted(FUNCTIONS))}.",
                code="BadRequest_NotSupported",
            )
        for arg in node.args:
            if isinstance(arg, ast.Identifier):
                prop = _prop("$filter", arg.name, self.entity)
                if prop.edm not in ("Edm.String", "Edm.Guid"):
                    raise bad(
                        "$filter", f"{name}() needs a text property; {arg.name} is {prop.edm}."
                    )
        return super().visit_Call(node)

    def _substr_function(self, field: ast._Node, substr: ast._Node, func_name: str) -> Any:
        if not isinstance(substr, ast.String):
            raise bad("$filter", f"{func_name}() needs a text literal such as 'abc'.")
        column = self.visit(field)
        return getattr(column, func_name)(substr.py_val, autoescape=True)

    def visit_Compare(self, node: ast.Compare) -> Any:
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(side, ast.Identifier):
                _check_literal(_prop("$filter", side.name, self.entity), side.name, other)
        return super().visit_Compare(node)


def _check_literal(prop: Prop, name: str, value: ast._Node) -> None:
    allowed = _LITERALS.get(prop.edm, ())
    values = value.val if isinstance(value, ast.List) else [value]
    for item in values:
        if isinstance(item, ast.Identifier | ast.Call | ast.Null):
            continue
        if not isinstance(item, allowed):
            shown = getattr(item, "val", type(item).__name__)
            raise bad(
                "$filter",
                f"{name} is {prop.edm}: compare it with {_EXAMPLES[prop.edm]}, got {shown!r}.",
            )


@dataclass(frozen=True, slots=True)
class Result:
    """One page of a collection."""

    rows: list[dict[str, Any]]
    more: bool
    count: int | None


def run(
    conn: Connection,
    options: Options,
    *,
    scope: Sequence[ColumnElement[bool]] = (),
    page_size: int,
) -> Result:
    """The page of ``options.entity`` the options ask for, inside ``scope``."""
    entity = options.entity
    stmt: Select[Any] = entity.base()
    for clause in scope:
        stmt = stmt.where(clause)
    if options.where is not None:
        stmt = stmt.where(options.where)
    total = None
    if options.count:
        total = int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
    order = [expr.desc() if desc else expr.asc() for expr, desc in options.order]
    stmt = stmt.order_by(*order, *entity.order)
    start = options.skip + options.after
    limit = page_size
    if options.top is not None:
        limit = min(limit, max(0, options.top - options.after))
    rows = [dict(r._mapping) for r in conn.execute(stmt.offset(start).limit(limit + 1))]
    more = len(rows) > limit and (options.top is None or options.after + limit < options.top)
    return Result(rows[:limit], more, total)


def project(body: dict[str, Any], options: Options) -> dict[str, Any]:
    """``$select`` applied to one serialized entity (``@odata.etag`` always stays)."""
    if options.select is None:
        return body
    keep = {"@odata.etag", *options.select}
    if options.expand and options.entity.lines:
        keep.add(options.entity.lines)
    return {k: v for k, v in body.items() if k in keep}


def envelope(
    values: list[dict[str, Any]],
    result: Result,
    options: Options,
    *,
    url: str,
    query: Mapping[str, str],
) -> dict[str, Any]:
    """The collection body: ``@odata.count`` when asked, ``@odata.nextLink`` when more rows
    follow (the same query with ``$skiptoken``)."""
    body: dict[str, Any] = {}
    if result.count is not None:
        body["@odata.count"] = result.count
    body["value"] = values
    if result.more:
        base = url.split("?", 1)[0]
        body["@odata.nextLink"] = next_link(base, query, options.after + len(values))
    return body
