"""The NetSuite dialect of the mock ERP: SuiteTalk REST web services (record service,
SuiteQL, async jobs, governance limits) with token-based authentication, over the shared
ERP engine (``mocks.erp.engine``)."""

from mocks.erp.netsuite.app import NETSUITE, create_app
from mocks.erp.netsuite.settings import NetSuiteSettings, TbaCredential, parse_settings

__all__ = ["NETSUITE", "NetSuiteSettings", "TbaCredential", "create_app", "parse_settings"]
