"""The POS and ERP of a live run, by name: ``--pos NAME`` and ``--erp NAME``.

A target is a module (or folder) here plus one line in `POS_TARGETS` or `ERP_TARGETS`
(``registry.py``; ``name: "module:factory"``, imported when chosen): `protocol` says what a
target does; `mock` runs any dialect of `mocks` (its subclasses ``square`` and ``bc`` read their
dialect's API); ``tryton`` starts a real Tryton. The names are the dialects' everywhere:
the mocks' registries (``mocks/pos/dialects.py``, ``mocks/erp/dialects.py``), the
connector's adapters (``TILLBENCH_POS_KIND``, ``TILLBENCH_ERP_KIND``) and ``run.json``
(``pos_kind``, ``erp_kind``). How to add one end to end: ``docs/dialects.md``.

Example::

    erp = erp_target("tryton", TargetOptions(erp_db_url="postgresql://u:pw@127.0.0.1/"))
    pos_target("shopify")  # UsageError: --pos: expected one of square, got 'shopify'
"""

from tillbench.live.targets.protocol import (
    ErpTarget,
    EventApply,
    Opening,
    PosTarget,
    PriceRead,
    StockLevels,
    StockRead,
    Target,
    TargetOptions,
    TargetRun,
)
from tillbench.live.targets.registry import (
    DEFAULT_ERP,
    DEFAULT_POS,
    ERP_TARGETS,
    POS_TARGETS,
    erp_target,
    pos_target,
)

__all__ = [
    "DEFAULT_ERP",
    "DEFAULT_POS",
    "ERP_TARGETS",
    "POS_TARGETS",
    "ErpTarget",
    "EventApply",
    "Opening",
    "PosTarget",
    "PriceRead",
    "StockLevels",
    "StockRead",
    "Target",
    "TargetOptions",
    "TargetRun",
    "erp_target",
    "pos_target",
]
