"""Mock POS: a Square v2 shaped cloud API over a POS engine (orders, payments, refunds,
stock, catalogue, customers, signed webhooks), plus driver ingestion.

Example::

    from mocks.pos import create_app
    app = create_app({"db_url": "sqlite:///pos.sqlite3", "api_tokens": {"tok": "qa"}})
"""

from mocks.pos.app import create_app
from mocks.pos.engine.signing import SIGNATURE_HEADER, sign
from mocks.pos.errors import PosError
from mocks.pos.export import DELIVERY_SCHEMA, export_deliveries
from mocks.pos.settings import PosSettings, WebhookSettings, get_settings

__all__ = [
    "DELIVERY_SCHEMA",
    "SIGNATURE_HEADER",
    "PosError",
    "PosSettings",
    "WebhookSettings",
    "create_app",
    "export_deliveries",
    "get_settings",
    "sign",
]
