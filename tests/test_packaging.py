"""The built wheel is the product: installed into a fresh virtualenv outside the checkout,
it runs the CLI, a short live run and locates its package data from any directory.

The wheel is built once per session (no build warnings allowed), then installed with pip
into a new venv under a temporary directory; every command runs with that directory as
its working directory and without the checkout on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "connectors",
    "domain",
    "erps",
    "loadtests",
    "mocks",
    "reports",
    "scenarios",
    "simulator",
    "tillbench",
}


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _source_copy(target: Path) -> Path:
    """The checkout's files that git would see, without build leftovers: setuptools builds in
    ``SOURCE/build``, where a module deleted since the last build would otherwise ship."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    source = _source_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(out), "-v"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = sorted(out.glob("tillbench-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], built.stdout + built.stderr


@pytest.fixture(scope="module")
def installed(wheel: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("elsewhere")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel[0])],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
        check=False,
    )
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return venv


def _run(
    venv: Path, *args: str, cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**_clean_env(), "TILLBENCH_CACHE_DIR": str(cwd / "cache")},
        timeout=timeout,
        check=False,
    )


def test_wheel_builds_without_warnings_and_holds_only_the_product(
    wheel: tuple[Path, str],
) -> None:
    path, log = wheel
    for word in ("deprecated", "SetuptoolsDeprecationWarning", "BuildBackendWarning"):
        assert word not in log, [line for line in log.splitlines() if word in line]
    names = zipfile.ZipFile(path).namelist()
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    assert tops - {p for p in tops if p.endswith(".dist-info")} == PACKAGES
    for data in (
        "scenarios/demo.yaml",
        "reports/html/templates/report.html.j2",
        "erps/tryton/module/tillbench_pos/tryton.cfg",
        "mocks/pos/shopify/schema.graphql",
        "loadtests/pos_registers.py",
    ):
        assert data in names, data
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(path).read(metadata).decode()
    assert "License-Expression: Apache-2.0" in text


def test_installed_cli_lists_scenarios_from_any_directory(installed: Path, tmp_path: Path) -> None:
    listed = _run(installed, "tillbench", "scenarios", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "demo" in listed.stdout
    assert "black-friday" in listed.stdout


def test_installed_package_data_is_found_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    probe = (
        "import json, sys\n"
        "from tillbench.load.locust import LOADTESTS, locustfile\n"
        "import importlib.resources as r\n"
        "print(json.dumps({'loadtests': str(LOADTESTS), 'file': str(locustfile('pos_registers')),"
        " 'prefix': sys.prefix}))\n"
    )
    found = _run(installed, "python", "-c", probe, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    paths = json.loads(found.stdout)
    assert paths["loadtests"].startswith(paths["prefix"]), paths
    assert not paths["loadtests"].startswith(str(ROOT)), paths
    assert Path(paths["file"]).is_file()


def test_installed_tillbench_runs_a_short_live_run(installed: Path, tmp_path: Path) -> None:
    ran = _run(
        installed,
        "tillbench",
        "run",
        "demo",
        "--set",
        "duration=3m",
        "--set",
        "faults=[]",
        "--out",
        "runs",
        cwd=tmp_path,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    (run_dir,) = (tmp_path / "runs").iterdir()
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["passed"] is True, summary
    assert (run_dir / "report.html").stat().st_size > 10_000
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["transactions"] > 0
    assert meta["sent_ok"] == meta["transactions"]
