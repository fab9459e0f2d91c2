"""Same scenario and seed: byte-identical Parquet; another seed: different output."""

from __future__ import annotations

from pathlib import Path

from simulator import simulate_traffic
from tests.simulator.support import small_scenario


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "truth").glob("*.parquet"))}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    scenario = small_scenario(**{"duration": "2d", "chain.stores": 3})

    simulate_traffic(scenario, tmp_path / "a", seed=5)
    simulate_traffic(scenario, tmp_path / "b", seed=5)

    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(a) == 12
    assert a == b
    assert (tmp_path / "a" / "scenario.yaml").read_bytes() == (
        tmp_path / "b" / "scenario.yaml"
    ).read_bytes()


def test_another_seed_gives_different_files(tmp_path: Path) -> None:
    scenario = small_scenario(**{"duration": "1d", "chain.stores": 2})

    simulate_traffic(scenario, tmp_path / "a", seed=5)
    simulate_traffic(scenario, tmp_path / "b", seed=6)

    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    for name in ("transactions.parquet", "lines.parquet", "catalog.parquet", "queue.parquet"):
        assert a[name] != b[name], name


def test_scenario_yaml_records_the_seed_used(tmp_path: Path) -> None:
    import scenarios

    simulate_traffic(small_scenario(**{"duration": "2h", "chain.stores": 1}), tmp_path, seed=77)

    assert scenarios.load(tmp_path / "scenario.yaml").seed == 77
