"""Square API v2 behind the connector (``TILLBENCH_POS_KIND=square``).

`client` speaks the REST API, `signature` checks webhook signatures, `orders` reads orders
into neutral documents, `stock` reads non-sale stock changes, `catalogue` writes the
ERP → POS sync, and `adapter` is the `connectors.pos.PosAdapter`.
"""

from connectors.pos.square.adapter import SquareAdapter, create
from connectors.pos.square.catalogue import SquareCatalogue
from connectors.pos.square.client import SquareClient
from connectors.pos.square.stock import SquareStock

__all__ = ["SquareAdapter", "SquareCatalogue", "SquareClient", "SquareStock", "create"]
