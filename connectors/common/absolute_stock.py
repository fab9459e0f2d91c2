"""The absolute-stock planted bug: copy POS stock counts to the ERP by reading the ERP's
quantity and writing the difference (read-modify-write). Stock already moved by invoices
and credit memos still in flight is moved twice, and stale counts overwrite newer ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from connectors.common.erp import ErpClient
from connectors.common.state import StateStore


class AbsoluteStockWriter:
    """Sets ERP stock per store × SKU to the POS count it was told."""

    def __init__(self, *, erp: ErpClient, store: StateStore, skus: Any) -> None:
        self.erp = erp
        self.store = store
        self.skus = skus

    def __call__(self, counts: Sequence[dict[str, Any]]) -> None:
        ids = [str(c.get("catalog_object_id")) for c in counts]
        known = self.store.skus(ids)
        missing = [i for i in ids if i not in known]
        if missing:
            fetched = self.skus(missing)
            self.store.remember_skus(fetched)
            known.update(fetched)
        for count in counts:
            if count.get("state", "IN_STOCK") != "IN_STOCK":
                continue
            sku = known.get(str(count.get("catalog_object_id")))
            location = str(count.get("location_id") or "")
            if not sku or not location:
                continue
            base = self.erp.api.base_url
            root = base[: base.rfind("/api/")] if "/api/" in base else base
            reply = self.erp.api.call(
                "GET",
                f"{root}/api/tillbench/inventory/v1.0/companies({self.erp.company})"
                "/locationInventories",
                params={"locationCode": location, "itemNumber": sku},
            )
            rows = (reply.body or {}).get("value") or []
            current = Decimal(str(rows[0].get("inventory", 0))) if rows else Decimal(0)
            delta = Decimal(str(count.get("quantity") or "0")) - current
            if delta == 0:
                continue
            self.erp.api.call(
                "POST",
                self.erp.journal_path(),
                json={
                    "itemNumber": sku,
                    "locationCode": location,
                    "quantity": float(delta),
                    "externalDocumentNumber": f"CNT-{uuid.uuid4().hex[:20]}",
                    "description": "stock count from the POS",
                },
            )
