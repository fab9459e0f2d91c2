"""The registries of live-run targets: one line per dialect (see `tillbench.live.targets`)."""

from __future__ import annotations

import importlib
from typing import cast

from tillbench.live.errors import UsageError
from tillbench.live.targets.protocol import ErpTarget, PosTarget, TargetOptions

__all__ = ["DEFAULT_ERP", "DEFAULT_POS", "ERP_TARGETS", "POS_TARGETS", "erp_target", "pos_target"]

POS_TARGETS: dict[str, str] = {
    "square": "tillbench.live.targets.square:SquarePos",
    "shopify": "tillbench.live.targets.shopify:ShopifyPos",
}
"""``--pos`` names → ``module:factory`` of the target, called with the `TargetOptions`."""

ERP_TARGETS: dict[str, str] = {
    "bc": "tillbench.live.targets.bc:BcErp",
    "tryton": "tillbench.live.targets.tryton:TrytonErp",
    "netsuite": "tillbench.live.targets.netsuite:NetSuiteErp",
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
