"""Path options are checked before any work: one line naming the option and the path, exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tillbench.cli import app

runner = CliRunner()

FOLDER_COMMANDS = [
    ["run", "demo"],
    ["simulate", "demo"],
    ["simulate", "demo", "--traffic-only"],
    ["simulate", "demo", "--sweep", "erp.concurrency=1,2"],
    ["demo"],
    ["demo", "--traffic-only"],
    ["load", "demo"],
    ["export", "RUN"],
    ["compare", "RUN", "RUN"],
]


@pytest.mark.parametrize("command", FOLDER_COMMANDS, ids=" ".join)
def test_out_naming_a_file_is_refused_before_any_work(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    taken = tmp_path / "taken"
    taken.write_text("keep me\n")
    argv = [str(tmp_path) if arg == "RUN" else arg for arg in command]
    result = runner.invoke(app, [*argv, "--out", str(taken)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"--out {taken}: a file is there, not a folder; give a folder (created if missing)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert taken.read_text() == "keep me\n"


def test_out_below_a_file_is_refused(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    result = runner.invoke(app, ["simulate", "demo", "-o", str(taken / "runs")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"--out {taken / 'runs'}: {taken} is a file, not a folder, so it cannot be created\n"
    )


@pytest.mark.parametrize("command", [["report", "RUN"], ["calibrate", "RUN"]], ids=" ".join)
def test_a_file_option_naming_a_folder_is_refused(command, tmp_path):
    argv = [str(tmp_path) if arg == "RUN" else arg for arg in command]
    result = runner.invoke(app, [*argv, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"--out {tmp_path}: a folder is there; give a file name\n"


def test_erp_tryton_dir_naming_a_file_is_refused(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    result = runner.invoke(app, ["erp", "tryton", "stop", "--dir", str(taken)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--dir {taken}: a file is there, not a folder")
