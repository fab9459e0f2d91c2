import datetime as dt

import pytest

from tillbench.runs import OutError, check_file, check_folder, new_run_dir

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


def test_new_run_dir_refuses_a_file_in_one_line(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    with pytest.raises(OutError) as caught:
        new_run_dir(taken, "demo", now=NOW)
    assert str(caught.value) == (
        f"--out {taken}: a file is there, not a folder; give a folder (created if missing)"
    )


def test_check_folder_accepts_a_folder_to_create(tmp_path):
    check_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()


def test_check_folder_refuses_a_folder_under_a_file(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(OutError, match=r"f is a file, not a folder, so it cannot be created"):
        check_folder(tmp_path / "f" / "runs", option="--dir")


def test_check_file_refuses_a_folder_and_accepts_a_new_file(tmp_path):
    with pytest.raises(OutError, match="a folder is there; give a file name"):
        check_file(tmp_path)
    check_file(tmp_path / "new" / "report.html")
