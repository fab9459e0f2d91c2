"""Done as the issue says: the example connector's tests run green with only ``pip install
tillbench pytest`` — the built wheel in a fresh virtualenv, outside the checkout — and the
same tests fail, readably, against the planted broken variant."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tillbench.testing.support import ROOT, copy_example

pytestmark = pytest.mark.slow


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(wheels)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("tillbench-*.whl")
    home = tmp_path_factory.mktemp("elsewhere") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
    pip = subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel), "pytest"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
        check=False,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    return home


def _pytest(venv: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
        check=False,
    )


def test_the_example_passes_with_only_tillbench_and_pytest_installed(
    venv: Path, tmp_path: Path
) -> None:
    folder = copy_example(tmp_path)
    ran = _pytest(venv, folder)
    assert ran.returncode == 0, ran.stdout[-5000:]
    assert "4 passed" in ran.stdout


def test_the_broken_variant_fails_with_readable_assertions(venv: Path, tmp_path: Path) -> None:
    folder = copy_example(tmp_path, broken=True)
    ran = _pytest(venv, folder, "-k", "outage or lunch")
    assert ran.returncode == 1, ran.stdout[-5000:]
    assert "2 failed" in ran.stdout
    assert "transactions never reached the ERP as a posted document within 30 s" in ran.stdout
    assert "objectives failed: missing" in ran.stdout
