"""The Tryton module and the loader are package data, found through `importlib.resources`."""

from __future__ import annotations

import hashlib
import importlib.resources
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from erps.tryton import resources
from erps.tryton.resources import (
    copy_module,
    loader_hash,
    loader_path,
    module_files,
    module_hash,
)

ROOT = Path(__file__).resolve().parents[3]


def test_the_module_is_found_through_importlib_resources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    files = importlib.resources.files

    def spy(anchor: str) -> object:
        seen.append(anchor)
        return files(anchor)

    monkeypatch.setattr(resources.importlib.resources, "files", spy)

    found = module_files()

    assert list(found) == ["__init__.py", "sale.py", "stock.py", "tryton.cfg"]
    assert seen == ["erps.tryton.module"]
    assert "tillbench_pos" in found["__init__.py"].read_text()
    assert "sale.Sale" in found["tryton.cfg"].read_text()


def test_every_non_python_file_of_erps_is_declared_package_data() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["erps"]
    erps = ROOT / "erps"
    data = [
        p.relative_to(erps).as_posix()
        for p in erps.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]

    assert data
    assert [name for name in data if not any(fnmatch(name, g) for g in declared)] == []


def test_every_directory_of_the_module_is_a_package() -> None:
    assert (ROOT / "erps/tryton/module/__init__.py").is_file()
    assert (ROOT / "erps/tryton/module/tillbench_pos/__init__.py").is_file()


def test_copy_module_writes_every_file(tmp_path: Path) -> None:
    copy_module(tmp_path / "tillbench_pos")

    copied = sorted(p.name for p in (tmp_path / "tillbench_pos").iterdir())
    assert copied == ["__init__.py", "sale.py", "stock.py", "tryton.cfg"]
    for name, file in module_files().items():
        assert (tmp_path / "tillbench_pos" / name).read_bytes() == file.read_bytes()


def test_module_hash_covers_names_and_contents() -> None:
    digest = hashlib.sha256()
    for name, file in module_files().items():
        digest.update(name.encode())
        digest.update(file.read_bytes())

    assert module_hash() == digest.hexdigest()[:16]


def test_the_loader_is_a_file_while_the_block_runs() -> None:
    with loader_path() as path:
        source = path.read_bytes()
        assert path.name == "load_master.py"
    assert b"from proteus import" in source
    assert loader_hash() == hashlib.sha256(source).hexdigest()[:16]


def test_an_installed_copy_reads_its_own_module_from_any_directory(tmp_path: Path) -> None:
    """As from a wheel: `erps` alone in a site directory, run from an unrelated directory."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(ROOT / "erps", site / "erps", ignore=shutil.ignore_patterns("__pycache__"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import erps.tryton.resources as r, pathlib, sys\n"
        "print(pathlib.Path(r.__file__).resolve())\n"
        "with r.loader_path() as p: print(p.resolve())\n"
        "r.copy_module(pathlib.Path(sys.argv[1]))\n"
        "print(r.module_hash())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "copy")],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    where, loader, digest = done.stdout.split()

    assert Path(where).is_relative_to(site)
    assert Path(loader) == (site / "erps/tryton/load_master.py").resolve()
    assert digest == module_hash()
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == [
        "__init__.py",
        "sale.py",
        "stock.py",
        "tryton.cfg",
    ]
