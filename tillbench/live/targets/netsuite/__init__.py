"""The NetSuite ERP target (``--erp netsuite``): the mock ERP's NetSuite dialect, read
through SuiteQL."""

from tillbench.live.targets.netsuite.target import NetSuiteErp

__all__ = ["NetSuiteErp"]
