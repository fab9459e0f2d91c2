"""NetSuite's SuiteTalk REST web services behind the connector
(``TILLBENCH_ERP_KIND=netsuite``).

`mapping` turns neutral documents into cash sales, credit memos and inventory adjustments;
`adapter` is the `connectors.erp.ErpAdapter`: every posting is an upsert by external id
(``PUT …/eid:{reference}``), look-ups go through SuiteQL; `catalogue` is the source of the
ERP → POS sync, read through SuiteQL.
"""

from connectors.erp.netsuite.adapter import RECORD_TYPES, NetSuiteAdapter, create
from connectors.erp.netsuite.catalogue import NetSuiteCatalogue
from connectors.erp.netsuite.mapping import map_document, stock_payload

__all__ = [
    "RECORD_TYPES",
    "NetSuiteAdapter",
    "NetSuiteCatalogue",
    "create",
    "map_document",
    "stock_payload",
]
