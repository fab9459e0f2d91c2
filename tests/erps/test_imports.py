"""The harness reads Tryton with its own code: `erps` imports no other room of the house,
and nothing in `tillbench` imports a connector's Tryton client."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"tillbench", "domain", "scenarios", "simulator", "mocks", "connectors", "reports"}
PROJECT |= {"erps", "loadtests", "benchmarks", "tests"}


def imports(package: str) -> Iterator[tuple[str, str]]:
    """(file, imported module) for every import in `package`'s Python files."""
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT).as_posix(), alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT).as_posix(), node.module


def test_erps_imports_only_itself_and_domain() -> None:
    outside = [
        (path, name)
        for path, name in imports("erps")
        if name.split(".")[0] in PROJECT - {"erps", "domain"}
    ]

    assert outside == []


def test_tillbench_never_imports_a_connectors_tryton_client() -> None:
    found = [
        (path, name)
        for path, name in imports("tillbench")
        if name.split(".")[0] == "connectors" and "tryton" in name
    ]

    assert found == []
