"""Mock ERP shaped after Microsoft Dynamics 365 Business Central's API v2.0.

Public API::

    create_app(settings: ErpSettings | Mapping | None = None) -> FastAPI
    ErpSettings, parse_settings, get_settings
    load_catalog(db, *, items, locations, customers, stock_levels)   seed data
    CapacityModel
"""

from mocks.erp.app import create_app
from mocks.erp.capacity import CapacityModel
from mocks.erp.engine import load_catalog
from mocks.erp.settings import ErpSettings, get_settings, parse_settings

__all__ = [
    "CapacityModel",
    "ErpSettings",
    "create_app",
    "get_settings",
    "load_catalog",
    "parse_settings",
]
