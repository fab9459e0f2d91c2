"""Business Central as the source of the ERP → POS sync: items and customers changed since
a ``lastModifiedDateTime`` cursor, and the lines of item journals other than the
connector's own (stock moved in the ERP by others: store deliveries, write-offs)."""

from __future__ import annotations

from decimal import Decimal

from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.erp.bc.client import BcClient


class BcCatalogue:
    """Reads what the POS must follow from Business Central."""

    def __init__(self, client: BcClient) -> None:
        self.client = client

    def items_since(self, moment: str | None) -> list[CatalogueItem]:
        """Items modified after ``moment`` (every item when None)."""
        return [
            CatalogueItem(
                sku=str(item.get("number") or ""),
                name=str(item.get("displayName") or ""),
                unit_price=Decimal(str(item.get("unitPrice", 0))),
                modified=str(item.get("lastModifiedDateTime") or ""),
            )
            for item in self.client.items_changed_since(moment)
        ]

    def customers_since(self, moment: str | None) -> list[CustomerRecord]:
        """Customers modified after ``moment`` (every customer when None)."""
        return [
            CustomerRecord(
                id=str(customer.get("id")),
                number=str(customer.get("number") or ""),
                name=str(customer.get("displayName") or ""),
                email=str(customer.get("email") or ""),
                modified=str(customer.get("lastModifiedDateTime") or ""),
            )
            for customer in self.client.customers_changed_since(moment)
        ]

    def stock_moves(self) -> list[ErpStockMove]:
        """Lines of every item journal except the connector's own."""
        return [
            ErpStockMove(
                id=str(line["id"]),
                sku=str(line.get("itemNumber")),
                store_id=str(line.get("locationCode")),
                quantity=Decimal(str(line.get("quantity") or 0)),
            )
            for line in self.client.foreign_journal_lines()
        ]
