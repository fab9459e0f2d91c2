"""Business Central API v2.0 behind the connector (``TILLBENCH_ERP_KIND=bc``).

`client` speaks the REST API (documents, item journals, ``$batch``, items, customers),
`mapping` turns neutral documents and stock changes into its payloads, `adapter` is the
`connectors.erp.ErpAdapter`, and `catalogue` the source of the ERP → POS sync.
"""

from connectors.erp.bc.adapter import BcAdapter, create
from connectors.erp.bc.catalogue import BcCatalogue
from connectors.erp.bc.client import BcClient
from connectors.erp.bc.mapping import effective_percent, map_document

__all__ = ["BcAdapter", "BcCatalogue", "BcClient", "create", "effective_percent", "map_document"]
