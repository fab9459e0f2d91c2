"""NetSuite as the source of the ERP → POS sync, read through SuiteQL: items and customers
changed since a ``lastmodifieddate`` cursor (read with ``TO_CHAR`` to the millisecond, so
the cursor sorts as text), and the lines of inventory adjustments other than the
connector's own (stock moved in the ERP by others: store deliveries, write-offs). The
connector marks its own adjustments with the memo `CONNECTOR_MEMO`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from connectors.core.http import HttpApi
from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove

__all__ = ["CONNECTOR_MEMO", "NetSuiteCatalogue", "suiteql"]

CONNECTOR_MEMO = "tillbench connector"
"""Memo prefix of the inventory adjustments the connector makes."""
SUITEQL = "/query/v1/suiteql"
PAGE = 1000
_MODIFIED = "TO_CHAR({}.lastmodifieddate, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3')"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def suiteql(api: HttpApi, q: str) -> list[dict[str, Any]]:
    """Every row of SuiteQL query ``q``, paged (retried per the client's policy)."""
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        reply = api.call(
            "POST",
            SUITEQL,
            json={"q": q},
            params={"limit": str(PAGE), "offset": str(offset)},
            headers={"Prefer": "transient"},
        )
        body = reply.body if isinstance(reply.body, dict) else {}
        rows.extend(body.get("items") or [])
        if not body.get("hasMore"):
            return rows
        offset += PAGE


class NetSuiteCatalogue:
    """Reads what the POS must follow from NetSuite."""

    def __init__(self, api: HttpApi) -> None:
        self.api = api

    def _since(self, alias: str, moment: str | None) -> str:
        if not moment:
            return ""
        return f" WHERE {_MODIFIED.format(alias)} > {_literal(moment)}"

    def items_since(self, moment: str | None) -> list[CatalogueItem]:
        """Items modified after ``moment`` (every item when None)."""
        q = (
            f"SELECT i.itemid, i.displayname, i.baseprice, {_MODIFIED.format('i')} AS modified "
            f"FROM item i{self._since('i', moment)} ORDER BY modified"
        )
        return [
            CatalogueItem(
                sku=str(row.get("itemid") or ""),
                name=str(row.get("displayname") or ""),
                unit_price=Decimal(str(row.get("baseprice") or 0)),
                modified=str(row.get("modified") or ""),
            )
            for row in suiteql(self.api, q)
        ]

    def customers_since(self, moment: str | None) -> list[CustomerRecord]:
        """Customers modified after ``moment`` (every customer when None)."""
        q = (
            f"SELECT c.id, c.entityid, c.companyname, c.email, {_MODIFIED.format('c')} AS "
            f"modified FROM customer c{self._since('c', moment)} ORDER BY modified"
        )
        return [
            CustomerRecord(
                id=str(row.get("id")),
                number=str(row.get("entityid") or ""),
                name=str(row.get("companyname") or ""),
                email=str(row.get("email") or ""),
                modified=str(row.get("modified") or ""),
            )
            for row in suiteql(self.api, q)
        ]

    def stock_moves(self) -> list[ErpStockMove]:
        """Lines of every inventory adjustment except the connector's own."""
        q = (
            "SELECT l.id, i.itemid, loc.externalid AS store, l.quantity FROM transactionline l "
            "JOIN transaction t ON t.id = l.transaction JOIN item i ON i.id = l.item "
            "JOIN location loc ON loc.id = l.location WHERE t.type = 'InvAdjst' AND "
            f"(l.memo IS NULL OR l.memo NOT LIKE {_literal(CONNECTOR_MEMO + '%')}) ORDER BY l.id"
        )
        return [
            ErpStockMove(
                id=str(row["id"]),
                sku=str(row.get("itemid")),
                store_id=str(row.get("store")),
                quantity=Decimal(str(row.get("quantity") or 0)),
            )
            for row in suiteql(self.api, q)
        ]
