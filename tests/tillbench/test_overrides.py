import pytest

from scenarios import ScenarioError
from tillbench.overrides import OverrideError, load_scenario, parse_overrides


def test_parse_overrides_reads_yaml_scalars():
    assert parse_overrides(["erp.concurrency=3", "returns.rate=0.1", "x=true", "d=5m"]) == {
        "erp.concurrency": 3,
        "returns.rate": 0.1,
        "x": True,
        "d": "5m",
    }


def test_parse_overrides_keeps_text_after_the_first_equals_sign():
    assert parse_overrides(["description=a=b"]) == {"description": "a=b"}


@pytest.mark.parametrize("item", ["erp.concurrency", "=3", " =3"])
def test_parse_overrides_rejects_items_without_key_and_value(item):
    with pytest.raises(OverrideError, match="expected KEY=VALUE"):
        parse_overrides([item])


def test_parse_overrides_reads_values_as_scenario_files_do():
    assert parse_overrides(["chain.hours.opens=12:00", "x=[a, b]", "y="]) == {
        "chain.hours.opens": "12:00",
        "x": ["a", "b"],
        "y": "",
    }


def test_parse_overrides_names_the_key_of_a_value_over_the_alias_budget():
    laughs = "[&a [1,1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], " + ", ".join(
        f"&{c} [{','.join([f'*{p}'] * 9)}]" for p, c in zip("bcdefgh", "cdefghi", strict=True)
    )
    with pytest.raises(
        OverrideError, match=r"^--set erp\.concurrency: YAML too large: the aliases"
    ):
        parse_overrides([f"erp.concurrency={laughs}]"])


def test_load_scenario_refuses_more_work_than_one_run_simulates():
    with pytest.raises(ScenarioError) as caught:
        load_scenario("demo", {"chain.stores": 100_000, "duration": "28d"}, run="traffic")
    (line,) = caught.value.lines
    assert line.startswith("demo: too large for this machine: about 4.2 billion transactions")


def test_load_scenario_applies_overrides_and_seed():
    scenario = load_scenario("demo", {"chain.stores": 2}, seed=7, run="live")
    assert (scenario.chain.stores, scenario.seed) == (2, 7)
