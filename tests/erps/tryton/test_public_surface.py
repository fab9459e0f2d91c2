"""`erps.tryton` exports exactly its `__all__`, each name from `erps`, its example importable."""

from __future__ import annotations

import re
import types

import erps


def test_public_surface() -> None:
    import erps.tryton as tryton

    bound = {
        name
        for name, value in vars(tryton).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert sorted(tryton.__all__) == sorted(bound)
    assert len(set(tryton.__all__)) == len(tryton.__all__)
    for name in tryton.__all__:
        assert getattr(tryton, name).__module__.startswith("erps."), name
    example = re.search(r"from erps\.tryton import (.+)", tryton.__doc__ or "")
    assert example is not None
    assert {n.strip() for n in example.group(1).split(",")} <= set(tryton.__all__)


def test_erps_exports_its_exceptions() -> None:
    assert erps.__all__ == ["ErpError", "TrytonReadError"]
    assert issubclass(erps.TrytonReadError, erps.ErpError)
