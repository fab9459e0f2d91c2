"""The example connector under tillbench: a few sales at a time with the fixtures, and the
whole lunch rush with a verdict. Run with ``pytest`` in this folder (``pip install
tillbench pytest`` is all it needs)."""

from pathlib import Path

import pytest

SCENARIO = Path(__file__).resolve().parent / "lunch-rush.yaml"

pytestmark = pytest.mark.tillbench(scenario=str(SCENARIO))


def test_each_sale_is_posted_once(
    tillbench_pos, tillbench_erp, tillbench_connector, connector_command
):
    tillbench_connector(connector_command, pos=tillbench_pos, erp=tillbench_erp)

    sales = tillbench_pos.ring_sales(5)

    tillbench_erp.assert_posted_once(sales, within=20)


def test_sales_rung_during_an_erp_outage_are_posted_after_it(
    tillbench_pos, tillbench_erp, tillbench_connector, connector_command
):
    tillbench_connector(connector_command, pos=tillbench_pos, erp=tillbench_erp)

    with tillbench_erp.outage():
        sales = tillbench_pos.ring_sales(3)
        # the connector has tried and met the outage before it ends
        tillbench_erp.admin.journal.wait_for(credential="connector", status=503, within=20)

    tillbench_erp.assert_posted_once(sales, within=30)


def test_duplicate_webhooks_post_nothing_twice(
    tillbench_pos, tillbench_erp, tillbench_connector, connector_command
):
    tillbench_connector(connector_command, pos=tillbench_pos, erp=tillbench_erp)

    with tillbench_pos.webhooks.duplicate(1.0):
        sales = tillbench_pos.ring_sales(4)
        tillbench_erp.assert_posted_once(sales, within=20, settle=2.0)

    deliveries = tillbench_pos.admin.deliveries()
    assert any(d["outcome"].startswith("duplicate") for d in deliveries)


def test_the_lunch_rush_passes_every_objective(tillbench_run, connector_command):
    result = tillbench_run(connector_command)

    assert result.passed, result.explain()
    assert result.objectives["missing"].actual == 0
    assert result.objectives["duplicates"].actual == 0
    assert result.paths.report is not None
    assert result.paths.report.exists()
