"""SuiteQL, ``POST /services/rest/query/v1/suiteql`` with ``Prefer: transient``.

A query (``{"q": "SELECT …"}``) is parsed with ``sqlglot`` as Oracle SQL (SuiteQL's base),
checked against a whitelist of NetSuite tables, columns and functions, rewritten onto
views of the engine's tables (common table expressions named ``ns_<table>``) and run by
the mock's own database (SQLite or PostgreSQL). Only one ``SELECT`` (or a set operation of
``SELECT``s) is accepted; anything else is NetSuite's 400 ``INVALID_PARAMETER`` "Invalid
search query. …", naming what is not allowed.

Paging (Oracle, "Executing SuiteQL Queries Through REST Web Services", "Collection
Paging"): ``limit`` (1..1000, default 1000) and ``offset`` in the query string; the answer
is ``{links, count, hasMore, items, offset, totalResults}``, each item with ``links: []``,
its values as strings, nulls left out, dates as ``M/D/YYYY`` (the default date format
preference); at most ``suiteql_max_results`` results of one query can be paged through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError

from mocks.core import ApiError, MockContext
from mocks.erp.netsuite.errors import ns_error

__all__ = ["TABLES", "run_suiteql"]

_DOC = "erp_documents"
_ADJ = (
    "erp_item_journal_lines j JOIN erp_item_journals k ON k.id = j.journal_id AND k.code = 'NSADJ'"
)
_ADJ_WHERE = "WHERE j.document_number <> ''"

TABLES: dict[str, str] = {
    "transaction": f"""SELECT d.seq AS id, d.posted_number AS tranid,
        NULLIF(d.external_document_number, '') AS externalid,
        CASE d.kind WHEN 'invoice' THEN 'CashSale' ELSE 'CustCred' END AS type,
        d.document_date AS trandate, d.customer_id AS entity,
        (d.total_excl + d.total_tax) / 100000.0 AS foreigntotal,
        d.total_tax / 100000.0 AS taxtotal,
        d.last_modified AS lastmodifieddate,
        (SELECT c.seq FROM {_DOC} c WHERE c.id = d.invoice_id) AS createdfrom
        FROM {_DOC} d
        UNION ALL SELECT CAST(j.document_number AS INTEGER) AS id,
        'ADJ' || j.document_number AS tranid,
        NULLIF(MIN(j.external_document_number), '') AS externalid, 'InvAdjst' AS type,
        MIN(j.posting_date) AS trandate, NULL AS entity, 0 AS foreigntotal, 0 AS taxtotal,
        MIN(j.last_modified) AS lastmodifieddate, NULL AS createdfrom
        FROM {_ADJ} {_ADJ_WHERE} GROUP BY j.document_number""",
    "transactionline": f"""SELECT d.seq AS "transaction", l.sequence / 10000 AS id,
        l.sequence / 10000 AS linesequencenumber, l.item_id AS item,
        l.quantity / 100000.0 AS quantity, l.unit_price / 100000.0 AS rate,
        l.amount_excl / 100000.0 AS netamount, l.tax_amount / 100000.0 AS taxamount,
        loc.id AS location, l.description AS memo, 'F' AS mainline
        FROM erp_document_lines l JOIN {_DOC} d ON d.id = l.document_id
        LEFT JOIN erp_locations loc ON loc.code = l.location_code
        UNION ALL SELECT CAST(j.document_number AS INTEGER) AS "transaction", j.seq AS id,
        j.seq AS linesequencenumber, j.item_id AS item, j.quantity / 100000.0 AS quantity,
        0 AS rate, 0 AS netamount, 0 AS taxamount, loc.id AS location, j.description AS memo,
        'F' AS mainline
        FROM {_ADJ} LEFT JOIN erp_locations loc ON loc.code = j.location_code
        {_ADJ_WHERE}""",
    "customer": """SELECT id, number AS entityid, number AS externalid,
        display_name AS companyname, email, phone_number AS phone,
        CASE WHEN blocked = '' THEN 'F' ELSE 'T' END AS isinactive,
        last_modified AS lastmodifieddate FROM erp_customers""",
    "item": """SELECT id, number AS itemid, number AS externalid, display_name AS displayname,
        'InvtPart' AS itemtype, unit_price / 100000.0 AS baseprice, gtin AS upccode,
        CASE WHEN blocked THEN 'T' ELSE 'F' END AS isinactive,
        last_modified AS lastmodifieddate FROM erp_items""",
    "location": """SELECT id, display_name AS name, code AS externalid, 'F' AS isinactive,
        last_modified AS lastmodifieddate FROM erp_locations""",
    "inventoryitemlocations": """SELECT s.item_id AS item, loc.id AS location,
        s.quantity / 100000.0 AS quantityonhand FROM erp_item_stock s
        JOIN erp_locations loc ON loc.code = s.location_code""",
}
"""The NetSuite tables SuiteQL can read, as views of the engine's tables."""

COLUMNS: dict[str, frozenset[str]] = {
    "transaction": frozenset(
        [
            "id",
            "tranid",
            "externalid",
            "type",
            "trandate",
            "entity",
            "foreigntotal",
            "taxtotal",
            "lastmodifieddate",
            "createdfrom",
        ]
    ),
    "transactionline": frozenset(
        [
            "transaction",
            "id",
            "linesequencenumber",
            "item",
            "quantity",
            "rate",
            "netamount",
            "taxamount",
            "location",
            "memo",
            "mainline",
        ]
    ),
    "customer": frozenset(
        [
            "id",
            "entityid",
            "externalid",
            "companyname",
            "email",
            "phone",
            "isinactive",
            "lastmodifieddate",
        ]
    ),
    "item": frozenset(
        [
            "id",
            "itemid",
            "externalid",
            "displayname",
            "itemtype",
            "baseprice",
            "upccode",
            "isinactive",
            "lastmodifieddate",
        ]
    ),
    "location": frozenset(["id", "name", "externalid", "isinactive", "lastmodifieddate"]),
    "inventoryitemlocations": frozenset(["item", "location", "quantityonhand"]),
}
"""Columns per table (the aliases of each view)."""

_ALLOWED_FUNCS: tuple[type[Any], ...] = (
    exp.Connector,
    exp.Binary,
    exp.Count,
    exp.Sum,
    exp.Min,
    exp.Max,
    exp.Avg,
    exp.Upper,
    exp.Lower,
    exp.Coalesce,
    exp.Cast,
    exp.Round,
    exp.Abs,
    exp.Case,
    exp.If,
    exp.Trim,
    exp.Substring,
    exp.Length,
    exp.Concat,
    exp.Nullif,
    exp.Greatest,
    exp.Least,
    exp.ToChar,
)

_ORACLE_FORMAT = [
    ("YYYY", "%Y"),
    ("HH24", "%H"),
    ("SS.FF3", "%f"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("MI", "%M"),
    ("SS", "%S"),
]
"""TO_CHAR format elements the mock understands on SQLite (PostgreSQL takes Oracle's)."""


def _strftime(fmt: str) -> str:
    out, i = "", 0
    while i < len(fmt):
        if fmt[i] == '"':
            end = fmt.find('"', i + 1)
            if end < 0:
                raise invalid("TO_CHAR: unclosed quote in the format.")
            out += fmt[i + 1 : end].replace("%", "%%")
            i = end + 1
            continue
        for token, code in _ORACLE_FORMAT:
            if fmt.startswith(token, i):
                out += code
                i += len(token)
                break
        else:
            if fmt[i].isalpha():
                raise invalid(
                    f"TO_CHAR format element at {fmt[i:]!r} is not supported (use YYYY MM DD "
                    "HH24 MI SS FF3)."
                )
            out += fmt[i]
            i += 1
    return out


def _to_char(tree: exp.Expression, *, sqlite: bool) -> exp.Expression:
    """TO_CHAR(x, 'fmt') → strftime on SQLite; dates without a format as Oracle's default."""
    for node in list(tree.find_all(exp.ToChar)):
        fmt = node.args.get("format")
        if not isinstance(fmt, exp.Literal) or not fmt.is_string:
            raise invalid("TO_CHAR needs a literal format, e.g. 'YYYY-MM-DD'.")
        if sqlite:
            node.replace(
                exp.Anonymous(
                    this="strftime",
                    expressions=[exp.Literal.string(_strftime(fmt.this)), node.this],
                )
            )
    return tree


MAX_LIMIT = 1000
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)?$")


def invalid(reason: str) -> ApiError:
    """NetSuite's answer to a query it cannot run."""
    return ns_error(
        400,
        "Invalid search query. Detailed unprocessed description follows. Search error "
        f"occurred: {reason}",
        "INVALID_PARAMETER",
        field="q",
    )


def _check(tree: exp.Expression) -> set[str]:
    """Raise ``invalid`` unless the tree reads only whitelisted tables, columns and
    functions; the tables used."""
    if not isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except):
        raise invalid("only a SELECT statement can be run.")
    used: set[str] = set()
    aliases = {a.alias.lower() for a in tree.find_all(exp.Alias)}
    aliases |= {s.alias.lower() for s in tree.find_all(exp.Subquery, exp.TableAlias) if s.alias}
    for node in tree.walk():
        if isinstance(node, exp.With | exp.CTE):
            raise invalid("WITH clauses are not supported.")
        if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Command | exp.Create):
            raise invalid("only a SELECT statement can be run.")
        if isinstance(node, exp.Table):
            name = node.name.lower()
            if node.args.get("db") or node.args.get("catalog") or name not in TABLES:
                raise invalid(f"Record '{node.sql()}' was not found.")
            used.add(name)
        elif isinstance(node, exp.Anonymous):
            raise invalid(f"Unknown identifier '{node.name}'.")
        elif isinstance(node, exp.Func) and not isinstance(node, _ALLOWED_FUNCS):
            raise invalid(f"Function '{node.key.upper()}' is not supported.")
    known = set().union(*(COLUMNS[u] for u in used)) if used else set()
    for column in tree.find_all(exp.Column):
        name = column.name.lower()
        if name and name not in known and name not in aliases:
            raise invalid(
                f"Field '{column.sql()}' for record '{', '.join(sorted(used))}' was not found."
            )
    return used


def _rewrite(tree: exp.Expression) -> exp.Expression:
    """Tables onto their views (``transaction`` → ``ns_transaction``); columns qualified
    by the name of an unaliased table follow it."""
    for ident in tree.find_all(exp.Identifier):
        ident.set("this", ident.name.lower())
    bare: set[str] = set()
    for table in list(tree.find_all(exp.Table)):
        name = table.name.lower()
        if not table.alias:
            bare.add(name)
        table.set("this", exp.to_identifier(f"ns_{name}"))
    for column in tree.find_all(exp.Column):
        if column.table and column.table.lower() in bare:
            column.set("table", exp.to_identifier(f"ns_{column.table.lower()}"))
    return tree


DATE_COLUMNS = frozenset({"trandate", "lastmodifieddate"})
"""Columns SuiteQL answers as dates (``M/D/YYYY``, the default date format preference)."""


def _date_keys(tree: exp.Expression) -> set[str]:
    """Output names of the top-level SELECT that are plain date columns."""
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return set()
    keys: set[str] = set()
    for projection in select.expressions:
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(inner, exp.Star) or (
            isinstance(inner, exp.Column) and isinstance(inner.this, exp.Star)
        ):
            keys |= DATE_COLUMNS
        elif isinstance(inner, exp.Column) and inner.name.lower() in DATE_COLUMNS:
            keys.add((projection.alias or inner.name).lower())
    return keys


def compile_query(q: str, *, sqlite: bool) -> tuple[str, set[str]]:
    """The SQL to run for SuiteQL ``q`` (without paging), and the output names that are
    dates."""
    if not q.strip():
        raise invalid("the query is empty.")
    try:
        trees = sqlglot.parse(q, read="oracle")
    except ParseError as exc:
        first = exc.errors[0]["description"] if exc.errors else str(exc)
        raise invalid(f"the query cannot be parsed: {first}.") from None
    except SqlglotError as exc:
        raise invalid(f"the query cannot be parsed: {exc}.") from None
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        raise invalid("send exactly one statement.")
    tree = trees[0]
    assert isinstance(tree, exp.Expression)
    used = _check(tree)
    dates = _date_keys(tree)
    try:
        sql = _to_char(_rewrite(tree), sqlite=sqlite).sql(
            dialect="sqlite" if sqlite else "postgres",
            identify=True,
            unsupported_level=ErrorLevel.RAISE,
        )
    except SqlglotError as exc:
        raise invalid(f"the query uses what the mock cannot run: {exc}.") from None
    views = ", ".join(f"ns_{name} AS ({TABLES[name]})" for name in sorted(used))
    return (f"WITH {views} " if views else "") + f"SELECT * FROM ({sql}) suiteql_q", dates


def _text(value: Any, *, is_date: bool) -> str:
    if isinstance(value, datetime | date):
        return f"{value.month}/{value.day}/{value.year}"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "T" if value else "F"
    text = str(value)
    match = _DATE.match(text) if is_date else None
    if match:
        return f"{int(match[2])}/{int(match[3])}/{match[1]}"
    return text


def run_suiteql(
    ctx: MockContext, q: str, *, limit: int, offset: int, max_results: int, url: str
) -> dict[str, Any]:
    """One page of the results of ``q``."""
    from mocks.erp.netsuite.records import page_body

    if offset >= max_results:
        raise ns_error(
            400,
            f"The offset {offset} is beyond the {max_results} results a SuiteQL query can return.",
            "INVALID_PARAMETER",
            field="offset",
        )
    sql, dates = compile_query(q, sqlite=ctx.db.is_sqlite)
    with ctx.db.engine.connect() as conn:
        if conn.dialect.paramstyle in ("format", "pyformat"):
            sql = sql.replace("%", "%%")  # psycopg reads % as a placeholder
        try:
            size = min(limit, max_results - offset)
            rows = conn.exec_driver_sql(f"{sql} LIMIT {size} OFFSET {offset}").mappings().all()
            if len(rows) < size and (rows or offset == 0):
                total = offset + len(rows)  # the last page: no need to count
            else:
                total = conn.exec_driver_sql(f"SELECT COUNT(*) FROM ({sql}) suiteql_c").scalar_one()
        except Exception as exc:  # the database refused the rewritten query
            conn.rollback()
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            raise invalid(reason) from None
        conn.rollback()
    total = min(int(total), max_results)
    items = [
        {
            "links": [],
            **{
                k.lower(): _text(v, is_date=k.lower() in dates)
                for k, v in row.items()
                if v is not None
            },
        }
        for row in rows
    ]
    return page_body(url, items, limit=limit, offset=offset, total=total)


def read_paging(query: Mapping[str, str]) -> tuple[int, int]:
    """``limit`` and ``offset`` of the query string, or 400 naming the bad one."""
    out = []
    for name, default, high in (("limit", MAX_LIMIT, MAX_LIMIT), ("offset", 0, 10**9)):
        raw = query.get(name)
        if raw is None:
            out.append(default)
            continue
        low = 1 if name == "limit" else 0
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ns_error(
                400,
                f"The value of the '{name}' query parameter must be an integer from {low} "
                f"to {high}, got {raw!r}.",
                "INVALID_PARAMETER",
                field=name,
            )
        out.append(int(raw))
    return out[0], out[1]
