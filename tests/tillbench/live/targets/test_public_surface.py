"""The targets' registry: names, one registration line per target, clear errors."""

from __future__ import annotations

import importlib

import pytest

import connectors.erp
import connectors.pos
import tillbench.live.targets as targets
from mocks.erp import dialects as erp_dialects
from mocks.pos import dialects as pos_dialects
from tillbench.live import UsageError
from tillbench.live.targets import (
    ERP_TARGETS,
    POS_TARGETS,
    TargetOptions,
    erp_target,
    pos_target,
)
from tillbench.live.targets.mock import MockTarget


def test_the_names_are_the_dialects() -> None:
    assert sorted(POS_TARGETS) == ["shopify", "square"]
    assert sorted(ERP_TARGETS) == ["bc", "netsuite", "tryton"]
    assert (targets.DEFAULT_POS, targets.DEFAULT_ERP) == ("square", "bc")


@pytest.mark.parametrize(
    ("registry", "name"),
    [(POS_TARGETS, name) for name in POS_TARGETS] + [(ERP_TARGETS, name) for name in ERP_TARGETS],
)
def test_each_line_names_a_factory_of_a_target_by_that_name(
    registry: dict[str, str], name: str
) -> None:
    module, _, factory = registry[name].partition(":")
    made = getattr(importlib.import_module(module), factory)(TargetOptions())
    assert made.name == name


def test_every_target_has_a_connector_adapter_and_every_mock_a_mock_dialect() -> None:
    assert set(POS_TARGETS) <= set(connectors.pos.ADAPTERS)
    assert set(ERP_TARGETS) <= set(connectors.erp.ADAPTERS)
    for name in POS_TARGETS:
        target = pos_target(name)
        if isinstance(target, MockTarget):
            assert name in pos_dialects.DIALECTS
    for name in ERP_TARGETS:
        target = erp_target(name)
        if isinstance(target, MockTarget):
            assert name in erp_dialects.DIALECTS


def test_names_are_case_insensitive() -> None:
    assert erp_target("Tryton").name == "tryton"
    assert erp_target(" BC ").name == "bc"
    assert pos_target("Square").name == "square"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: erp_target("odoo"), "--erp: expected one of bc, netsuite, tryton, got 'odoo'"),
        (lambda: erp_target("mock"), "--erp: expected one of bc, netsuite, tryton, got 'mock'"),
        (lambda: pos_target("clover"), "--pos: expected one of shopify, square, got 'clover'"),
    ],
)
def test_an_unknown_name_is_one_line_listing_the_known_ones(make: object, message: str) -> None:
    with pytest.raises(UsageError) as info:
        make()  # type: ignore[operator]
    assert str(info.value) == message


def test_options_that_do_not_apply_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="use it with --erp tryton"):
        erp_target("bc", TargetOptions(erp_db_url="postgresql://x@127.0.0.1/db"))
    with pytest.raises(UsageError, match="PostgreSQL URL"):
        erp_target("tryton", TargetOptions(erp_db_url="sqlite:///x.db"))
    assert erp_target("tryton", TargetOptions(erp_db_url="postgresql://x@127.0.0.1/")).name


def test_public_surface() -> None:
    assert sorted(targets.__all__) == sorted(
        [
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
    )
    assert all(hasattr(targets, name) for name in targets.__all__)
