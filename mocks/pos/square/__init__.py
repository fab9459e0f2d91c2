"""The Square v2 dialect of the mock POS: routers and request schemas in Square's wire
format, Square error bodies, cursors, idempotent writes, the token-bucket rate limit,
webhook signatures and the app factory, over `mocks.pos.engine`.

Example::

    from mocks.pos.square import create_app

    app = create_app({"db_url": "sqlite:///run/pos.sqlite3", "api_tokens": {"tok": "qa"}})
"""

from mocks.pos.square.app import SQUARE, SQUARE_VERSION, create_app
from mocks.pos.square.settings import SquareSettings, get_settings
from mocks.pos.square.signing import SIGNATURE_HEADER, sign, webhook_headers

__all__ = [
    "SIGNATURE_HEADER",
    "SQUARE",
    "SQUARE_VERSION",
    "SquareSettings",
    "create_app",
    "get_settings",
    "sign",
    "webhook_headers",
]
