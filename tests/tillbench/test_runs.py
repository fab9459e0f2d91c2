import datetime as dt

from tillbench.runs import new_run_dir

NOW = dt.datetime(2026, 11, 27, 14, 5, 9, tzinfo=dt.UTC)


def test_new_run_dir_is_named_after_time_and_scenario(tmp_path):
    run = new_run_dir(tmp_path / "runs", "black-friday", now=NOW)
    assert run == tmp_path / "runs" / "20261127T140509Z-black-friday"
    assert run.is_dir()


def test_new_run_dir_never_reuses_a_directory(tmp_path):
    first = new_run_dir(tmp_path, "demo", now=NOW)
    second = new_run_dir(tmp_path, "demo", now=NOW)
    assert first != second
    assert second.name == "20261127T140509Z-demo.1"


def test_new_run_dir_sanitises_the_scenario_name(tmp_path):
    run = new_run_dir(tmp_path, "../my scenario!", now=NOW)
    assert run.parent == tmp_path
    assert run.name == "20261127T140509Z-..-my-scenario"
