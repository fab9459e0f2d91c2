"""The Business Central API v2.0 dialect of the mock ERP: routes, request schemas, OData
(filters, paging, ETags), serialisation, error bodies, the document fast path and its app
factory, over ``mocks.erp.engine``.

Example::

    from mocks.erp.bc import create_app

    app = create_app({"db_url": "sqlite:///run/erp.sqlite", "concurrency": 5})
"""

from mocks.erp.bc.app import BUSINESS_CENTRAL, create_app
from mocks.erp.bc.settings import BcSettings, get_settings, parse_settings

__all__ = ["BUSINESS_CENTRAL", "BcSettings", "create_app", "get_settings", "parse_settings"]
