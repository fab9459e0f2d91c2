"""Square orders through the reference connector's mapping path, for the ERP mapping tests:
read into a neutral document by the Square adapter, then mapped by the connector's mapper
(`connectors.core.intake.reference_mapper`, optionally wrapped by `Seams`) to an ERP
adapter's payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.core.documents import ErpDocument
from connectors.core.intake import reference_mapper
from connectors.core.metrics import Metrics
from connectors.core.seams import Seams
from connectors.erp import ErpAdapter
from connectors.erp.bc.adapter import BcAdapter
from connectors.erp.tryton.adapter import TrytonAdapter
from connectors.pos.square import orders


def bc() -> ErpAdapter:
    """Business Central's adapter, for its mapping (it sends nothing)."""
    return BcAdapter(None, Metrics())  # type: ignore[arg-type]


def tryton() -> ErpAdapter:
    """Tryton's adapter, for its mapping (it sends nothing)."""
    return TrytonAdapter(None)  # type: ignore[arg-type]


def map_order(
    erp: ErpAdapter,
    order: Mapping[str, Any],
    skus: Mapping[str, str],
    *,
    seams: Seams | None = None,
) -> ErpDocument | None:
    """What ``order`` becomes for ``erp`` (None: nothing to post)."""
    document = orders.document(order, skus)
    if document is None:
        return None
    seams = seams or Seams()
    wrapped = seams.erp(erp)
    return seams.mapper(reference_mapper(wrapped), erp=wrapped)(document)
