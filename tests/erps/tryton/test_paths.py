"""Where Tryton's environment and database cache live: never in a checkout or the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest

from erps.tryton.paths import cache_dir, cache_root, venv_dir


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("TILLBENCH_CACHE_DIR", raising=False)
    monkeypatch.delenv("TILLBENCH_TRYTON_VENV", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_default_locations_are_under_the_users_cache(clean_env: Path) -> None:
    assert cache_root() == clean_env / ".cache" / "tillbench"
    assert cache_dir() == clean_env / ".cache" / "tillbench" / "tryton"
    assert venv_dir() == clean_env / ".cache" / "tillbench" / "venv-tryton"


def test_the_cache_dir_variable_moves_both(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TILLBENCH_CACHE_DIR", str(tmp_path / "cache"))

    assert cache_dir() == tmp_path / "cache" / "tryton"
    assert venv_dir() == tmp_path / "cache" / "venv-tryton"


def test_the_venv_variable_wins(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TILLBENCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TILLBENCH_TRYTON_VENV", "~/tryton-env")

    assert venv_dir() == clean_env / "tryton-env"
    assert cache_dir() == tmp_path / "cache" / "tryton"


def test_locations_do_not_depend_on_the_working_directory(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = (cache_dir(), venv_dir())
    monkeypatch.chdir(tmp_path)

    assert (cache_dir(), venv_dir()) == before
    assert all(path.is_absolute() for path in before)
    assert not venv_dir().is_relative_to(Path(__file__).resolve().parents[3])


@pytest.mark.parametrize("variable", ["TILLBENCH_CACHE_DIR", "TILLBENCH_TRYTON_VENV", None])
def test_make_clean_removes_the_environment_venv_dir_names(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str | None
) -> None:
    import os
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if variable is not None:
        monkeypatch.setenv(variable, str(tmp_path / "elsewhere"))
    root = Path(__file__).resolve().parents[3]

    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "clean"],
        cwd=root,
        env={k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    assert f"rm -rf {venv_dir()}" in planned
