"""Tryton 8.2's point of sale behind the connector (``TILLBENCH_ERP_KIND=tryton``).

`codec` is Tryton's JSON, `client` the JSON-RPC transport (`TrytonRpc`), `poster` posts
sales and stock moves (`TrytonPos`), `mapping` turns neutral documents into their payloads,
and `adapter` is the `connectors.erp.ErpAdapter`. The harness reads Tryton with its own
reader (``erps.tryton``), never through this client.
"""

from connectors.erp.tryton.adapter import TrytonAdapter, create
from connectors.erp.tryton.client import TrytonError, TrytonRpc, TrytonStats
from connectors.erp.tryton.poster import PosLine, PosSale, Posted, StockMove, TrytonPos

__all__ = [
    "PosLine",
    "PosSale",
    "Posted",
    "StockMove",
    "TrytonAdapter",
    "TrytonError",
    "TrytonPos",
    "TrytonRpc",
    "TrytonStats",
    "create",
]
