"""The public surface of ``connectors``: every package lists its exports in ``__all__``
(sorted as ruff sorts them: constants, classes, functions; each one there), and every
registry entry (POS and ERP adapters, modes) names a
factory that imports."""

from __future__ import annotations

import importlib

import pytest

from connectors import erp, pos
from connectors.core import adapters, runtime

PACKAGES = [
    "connectors",
    "connectors.core",
    "connectors.pos",
    "connectors.pos.square",
    "connectors.erp",
    "connectors.erp.bc",
    "connectors.erp.tryton",
    "connectors.realtime",
    "connectors.batch",
    "connectors.hybrid",
]


def isort_key(name: str) -> tuple[int, str]:
    """Constants first, then classes, then functions (ruff's RUF022 order)."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("name", PACKAGES)
def test_exports_are_importable_and_listed(name: str) -> None:
    package = importlib.import_module(name)
    exported = package.__all__
    assert sorted(exported, key=isort_key) == exported
    for attribute in exported:
        assert getattr(package, attribute) is not None


def test_the_core_exports_what_a_connector_is_built_from() -> None:
    import connectors.core as core

    assert {"ContractEnv", "StateStore", "scrub", "Seams", "build", "run", "PosDocument"} <= set(
        core.__all__
    )
    assert {"PosAdapter", "ADAPTERS"} <= set(pos.__all__)
    assert {"ErpAdapter", "ADAPTERS", "Answer", "Lookups"} <= set(erp.__all__)


@pytest.mark.parametrize(
    ("registry", "name"),
    [
        *((pos.ADAPTERS, name) for name in pos.ADAPTERS),
        *((erp.ADAPTERS, name) for name in erp.ADAPTERS),
        *((runtime.MODES, name) for name in runtime.MODES),
    ],
)
def test_every_registry_entry_names_a_factory(registry: dict[str, str], name: str) -> None:
    assert callable(adapters.load(registry, name, "TILLBENCH_TEST"))


def test_the_dialect_names_are_the_house_names() -> None:
    assert sorted(pos.ADAPTERS) == ["shopify", "square"]
    assert sorted(erp.ADAPTERS) == ["bc", "netsuite", "tryton"]
    assert sorted(runtime.MODES) == ["batch", "hybrid", "realtime"]
