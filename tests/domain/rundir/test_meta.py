"""``run.json`` as `RunMeta`: typed fields, unknown keys preserved, wrong types named."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from domain.rundir import ContractError, RunMeta

LIVE = {
    "run_id": "20261127T140509Z-demo",
    "scenario": "demo",
    "seed": 42,
    "connector": {"name": "realtime", "command": "python -m connectors.realtime", "url": None},
    "speed": 60,
    "wall_origin": 1_795_000_000.5,
    "traffic_end_t": 3600.0,
    "notes": [],
    "machine": {"cpu": "x86_64"},
}


def test_a_live_run_json_round_trips_with_unknown_keys_kept(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(json.dumps(LIVE))

    meta = RunMeta.read(tmp_path)

    assert meta is not None
    assert meta.speed == 60.0
    assert isinstance(meta.speed, float)
    assert meta.wall_clock
    assert meta.connector_name == "realtime"
    assert meta.extra == {"machine": {"cpu": "x86_64"}}
    meta.write(tmp_path)
    assert json.loads((tmp_path / "run.json").read_text()) == {**LIVE, "speed": 60.0}


def test_speed_null_means_no_wall_clock_and_is_written_back() -> None:
    meta = RunMeta.from_dict({"kind": "simulation", "speed": None})

    assert (meta.speed, meta.wall_clock) == (None, False)
    assert meta.to_dict() == {"kind": "simulation", "speed": None, "wall_origin": None}
    assert RunMeta.from_dict({}).wall_clock, "absent speed is unknown, not no wall clock"


def test_nulls_read_are_written_back_as_null() -> None:
    meta = RunMeta.from_dict({"run_id": "r", "workers": None, "erp": None})

    assert meta.to_dict() == {"run_id": "r", "workers": None, "erp": None}


def test_fields_left_unset_are_not_written(tmp_path: Path) -> None:
    RunMeta(run_id="r", speed=2).write(tmp_path)

    assert json.loads((tmp_path / "run.json").read_text()) == {"run_id": "r", "speed": 2.0}
    assert RunMeta().is_empty()
    assert not RunMeta(run_id="r").is_empty()


def test_values_json_lacks_are_written_as_text(tmp_path: Path) -> None:
    RunMeta(load={"out": tmp_path}).write(tmp_path)

    assert json.loads((tmp_path / "run.json").read_text()) == {"load": {"out": str(tmp_path)}}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("speed", "fast", "speed: must be a number, got 'fast'"),
        ("speed", 0, "speed: must be a number > 0, got 0"),
        ("speed", True, "speed: must be a number, got True"),
        ("seed", 4.5, "seed: must be an integer, got 4.5"),
        ("traffic_end_t", "1h", "traffic_end_t: must be a number, got '1h'"),
        ("notes", "one", "notes: must be a list, got 'one'"),
        ("urls", [], "urls: must be an object, got []"),
        ("converged", "yes", "converged: must be true or false, got 'yes'"),
        ("connector_exits", {}, "connector_exits: must be a list, got {}"),
        ("connector_exits", [3], "connector_exits[0]: must be an object, got 3"),
        ("connector_exits", [{"t": 1.0}], "connector_exits[0].code: missing (the exit status)"),
        (
            "connector_exits",
            [{"code": 1, "restarted": False}, {"code": 1.5}],
            "connector_exits[1].code: must be an integer, got 1.5",
        ),
        (
            "connector_exits",
            [{"code": 1, "wall": "noon"}],
            "connector_exits[0].wall: must be a number, got 'noon'",
        ),
        (
            "connector_exits",
            [{"code": 1, "restarted": "no"}],
            "connector_exits[0].restarted: must be true or false, got 'no'",
        ),
        ("notes", "x" * 500, "notes: must be a list, got '" + "x" * 56 + "..."),
    ],
)
def test_a_field_of_the_wrong_type_is_named_with_its_value(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    (tmp_path / "run.json").write_text(json.dumps({key: value}))

    with pytest.raises(ContractError) as caught:
        RunMeta.read(tmp_path)

    assert str(caught.value) == f"{tmp_path / 'run.json'}: {message}"
    assert caught.value.column == key


def test_fields_are_checked_when_built_too() -> None:
    with pytest.raises(ContractError, match=r"^run.json: wall_origin: must be a number"):
        RunMeta(wall_origin="now")  # type: ignore[arg-type]


def test_an_absent_file_is_none_and_a_broken_one_is_named(tmp_path: Path) -> None:
    assert RunMeta.read(tmp_path) is None
    (tmp_path / "run.json").write_text("{not json")
    with pytest.raises(ContractError, match=r"run\.json: not valid JSON"):
        RunMeta.read(tmp_path)
    (tmp_path / "run.json").write_text("[1]")
    with pytest.raises(ContractError, match=r"run\.json: must hold a JSON object, got list"):
        RunMeta.read(tmp_path)


def test_the_connectors_credential_comes_from_connector_then_the_top_level() -> None:
    assert RunMeta(erp_credential="c").connector_credential == "c"
    both = RunMeta(connector={"erp_credential": "own"}, erp_credential="c")
    assert both.connector_credential == "own"
    assert RunMeta().connector_credential is None


def test_an_older_plain_connector_name_is_read_as_an_object() -> None:
    assert RunMeta.from_dict({"connector": "v1"}).connector == {"name": "v1"}


def test_the_error_pickles_for_sweep_workers() -> None:
    error = ContractError("run.json", "speed: must be a number", column="speed")

    again = pickle.loads(pickle.dumps(error))

    assert (str(again), again.column) == (str(error), "speed")


def test_connector_exits_read_in_order_with_t_from_the_wall_clock() -> None:
    meta = RunMeta.from_dict(
        {
            "speed": 60,
            "wall_origin": 1000.0,
            "connector_exits": [
                {"wall": 1010.0, "t": None, "code": -9, "restarted": True},
                {"wall": None, "t": 300.0, "code": 3, "restarted": False},
                {"code": 1},
            ],
        }
    )

    exits = meta.exits()

    assert [(e.t, e.code, e.restarted) for e in exits] == [
        (300.0, 3, False),
        (600.0, -9, True),
        (None, 1, False),
    ]
    assert exits[1].describe() == "signal 9 (SIGKILL)"
    assert exits[0].describe() == "code 3"
    assert meta.to_dict()["connector_exits"][0]["t"] is None, "written back as it was read"
