"""The POS and ERP of a live run, by name: ``--pos NAME`` and ``--erp NAME``.

A target is a module (or folder) here plus one line in `POS_TARGETS` or `ERP_TARGETS`
(``name: "module:factory"``, imported when chosen): `protocol` says what a target does;
`mock` runs any dialect of `mocks` (its subclasses ``square`` and ``bc`` read their
dialect's API); ``tryton`` starts a real Tryton. The names are the dialects' everywhere:
the mocks' registries (``mocks/pos/dialects.py``, ``mocks/erp/dialects.py``), the
connector's adapters (``TILLBENCH_POS_KIND``, ``TILLBENCH_ERP_KIND``) and ``run.json``
(``pos_kind``, ``erp_kind``). How to add one end to end: ``docs/dialects.md``.

Example::

    erp = erp_target("tryton", TargetOptions(erp_db_url="postgresql://u:pw@127.0.0.1/"))
    pos_target("shopify")  # UsageError: --pos: expected one of square, got 'shopify'
"""

from __future__ import annotations

import importlib
from typing import cast

from tillbench.live.errors import UsageError
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

POS_TARGETS: dict[str, str] = {"square": "tillbench.live.targets.square:SquarePos"}
"""``--pos`` names → ``module:factory`` of the target, called with the `TargetOptions`."""

ERP_TARGETS: dict[str, str] = {
    "bc": "tillbench.live.targets.bc:BcErp",
    "tryton": "tillbench.live.targets.tryton:TrytonErp",
}
"""``--erp`` names → ``module:factory`` of the target, called with the `TargetOptions`."""

DEFAULT_POS = "square"
DEFAULT_ERP = "bc"


def _make(option: str, registry: dict[str, str], name: str, options: TargetOptions) -> object:
    key = name.strip().lower()
    if key not in registry:
        known = ", ".join(sorted(registry))
        raise UsageError(f"{option}: expected one of {known}, got {name!r}")
    module, _, factory = registry[key].partition(":")
    return getattr(importlib.import_module(module), factory)(options)


def pos_target(name: str, options: TargetOptions | None = None) -> PosTarget:
    """The POS target ``name`` (case-insensitive); `UsageError` naming the known ones, or
    when ``options`` do not apply to it. Starts nothing."""
    return cast(PosTarget, _make("--pos", POS_TARGETS, name, options or TargetOptions()))


def erp_target(name: str, options: TargetOptions | None = None) -> ErpTarget:
    """The ERP target ``name`` (case-insensitive); `UsageError` naming the known ones, or
    when ``options`` do not apply to it (``--erp-db`` with a mock). Starts nothing."""
    return cast(ErpTarget, _make("--erp", ERP_TARGETS, name, options or TargetOptions()))
