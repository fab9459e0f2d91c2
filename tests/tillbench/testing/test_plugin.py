"""The pytest plugin, through pytest's own ``pytester``: registered by entry point, inert in
a suite that does not use it, and its options, ini keys, marker and parameters choosing what
the fixtures start."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]

PLAIN_SUITE = """
import pytest

def test_one():
    assert 1 + 1 == 2

@pytest.mark.parametrize("n", [1, 2])
def test_two(n):
    assert n > 0

def test_fails():
    assert [1, 2] == [1, 3]
"""

HEAVY = ["mocks", "simulator", "fastapi", "uvicorn", "sqlalchemy", "numpy", "httpx"]

DUMP_MODULES = """
import json, sys
from pathlib import Path

def pytest_sessionfinish(session):
    Path("modules.json").write_text(json.dumps(sorted(sys.modules)))
"""


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("tillbench") == "tillbench.testing.plugin"


def test_a_suite_without_its_fixtures_runs_as_without_the_plugin(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(PLAIN_SUITE)
    pytester.makeconftest(DUMP_MODULES)
    with_plugin = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")
    modules = json.loads((pytester.path / "modules.json").read_text())
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", "-p", "no:tillbench")

    assert "tillbench.testing.plugin" in modules
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []
    assert "tillbench.testing.start" not in modules
    with_plugin.assert_outcomes(passed=3, failed=1)
    without.assert_outcomes(passed=3, failed=1)

    def lines(result: pytest.RunResult) -> list[str]:
        return [
            line for line in result.outlines if line.startswith(("PASSED", "FAILED", "E ", "test_"))
        ]

    assert lines(with_plugin) == lines(without)


def test_it_sets_up_no_fixture_of_its_own_for_a_test_that_asks_none(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(PLAIN_SUITE)
    plan = pytester.runpytest("--setup-plan", "-p", "no:cacheprovider")
    steps = [line for line in plan.outlines if "SETUP" in line or "TEARDOWN" in line]
    assert steps
    assert [line for line in steps if "tillbench" in line] == []


def test_its_options_ini_keys_and_marker_are_documented(pytester: pytest.Pytester) -> None:
    helped = pytester.runpytest("--help")
    helped.stdout.fnmatch_lines(
        [
            "tillbench (mock POS/ERP fixtures, live runs):",
            "*--tillbench-scenario=NAME|PATH*",
            "*--tillbench-keep-runs=DIR*",
            "*--tillbench-mock=*",
            "*tillbench_scenario (string):*",
            "*default for --tillbench-scenario*",
        ]
    )
    markers = pytester.runpytest("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.tillbench(scenario=None, pos=None, erp=None*"])


FIXTURE_SUITE = """
import httpx
import pytest

def locations(pos):
    headers = {{"Authorization": "Bearer " + pos.token}}
    answer = httpx.get(pos.url + "/v2/locations", headers=headers)
    return [loc["id"] for loc in answer.json()["locations"] if loc["id"].startswith("S0")]

@pytest.mark.tillbench(scenario="demo", overrides={{"chain.stores": 2}})
def test_marker(tillbench_pos):
    assert tillbench_pos.dialect == "square"
    assert tillbench_pos.mode == "inprocess"
    assert tillbench_pos.scenario.name == "demo"
    assert sorted(locations(tillbench_pos)) == ["S0001", "S0002"]

def test_option_scenario(tillbench_pos):
    assert tillbench_pos.scenario.name == "{name}"
    assert len(locations(tillbench_pos)) == {stores}

@pytest.mark.parametrize(
    "tillbench_erp", ["bc", {{"erp": "bc", "mode": "subprocess"}}], indirect=True
)
def test_parameter(tillbench_erp):
    assert tillbench_erp.dialect == "bc"
    assert tillbench_erp.url == tillbench_erp.base_url + "/api/v2.0"
    assert tillbench_erp.env["TILLBENCH_ERP_TOKEN"] == tillbench_erp.token
    assert tillbench_erp.admin.health()["mock"] == "erp"
    assert tillbench_erp.mode in ("inprocess", "subprocess")

def test_session_a(tillbench_pos_session):
    pytest.shared = tillbench_pos_session.base_url

def test_session_b(tillbench_pos_session):
    assert tillbench_pos_session.base_url == pytest.shared
"""

SMALL = """\
name: small
extends: demo
chain: {stores: 1}
"""


def test_the_fixtures_follow_marker_parameter_option_and_ini(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", small=SMALL)
    pytester.makepyfile(FIXTURE_SUITE.format(name="small", stores=1))
    pytester.makeini("[pytest]\ntillbench_scenario = small.yaml\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", timeout=300)
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        ["*test_parameter?bc?*PASSED*", "*test_parameter?tillbench_erp1?*PASSED*"]
    )

    on_line = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--tillbench-scenario",
        "demo",
        "-k",
        "option_scenario",
        timeout=300,
    )
    on_line.assert_outcomes(failed=1)
    on_line.stdout.fnmatch_lines(["*assert 'demo' == 'small'*"])


def test_a_wrong_marker_or_dialect_is_a_readable_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.tillbench(stores=2)
        def test_bad_key(tillbench_pos):
            pass

        @pytest.mark.tillbench(erp="sap")
        def test_unknown_dialect(tillbench_erp):
            pass

        @pytest.mark.tillbench(erp="tryton")
        def test_real_erp(tillbench_erp):
            pass

        @pytest.mark.tillbench(overrides={"chain.stores": 0})
        def test_bad_scenario(tillbench_pos):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=4)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.tillbench: unknown stores; expected erp, mode, overrides, pos, "
            "scenario, seed*",
            "*SetupError: tillbench_erp: --erp: expected one of bc, netsuite, tryton, got 'sap'*",
            "*SetupError: tillbench_erp: 'tryton' is a real system, not a mock;*",
            "*SetupError: override: chain.stores: must be*got 0*",
        ]
    )
