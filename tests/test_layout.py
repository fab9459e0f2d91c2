"""The house plan, checked: imports point down only, and every package says what it exports.

- **Arrows** (DESIGN.md): `tillbench` on top; simulator, mocks, connectors, reports, erps
  and scenarios below it, never importing each other (scenarios excepted: the simulator
  reads scenarios); `domain` at the bottom. `loadtests` runs inside Locust and may use the
  product; nothing imports `loadtests`, `benchmarks` or `tests`.
- **Public surfaces**: every package's ``__init__`` has an ``__all__`` naming what it
  exports, each name exists, and nothing else public (a non-module name without a leading
  underscore) is bound there. A ``_private`` module is imported only inside its own
  top-level package.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "scenarios": {"domain"},
    "simulator": {"domain", "scenarios"},
    "mocks": {"domain"},
    "connectors": {"domain"},
    "reports": {"domain", "scenarios"},
    "erps": {"domain", "scenarios"},
    "tillbench": {
        "domain",
        "scenarios",
        "simulator",
        "mocks",
        "connectors",
        "reports",
        "erps",
    },
    "loadtests": {"domain", "scenarios", "simulator", "tillbench"},
}
"""Which of our top-level packages each top-level package may import."""
OURS = set(ALLOWED) | {"benchmarks", "tests"}


def _modules(top: str) -> Iterator[Path]:
    yield from sorted((ROOT / top).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _packages() -> list[str]:
    found = []
    for top in sorted(ALLOWED):
        for init in (ROOT / top).rglob("__init__.py"):
            if "module" in init.relative_to(ROOT).parts[:3] and top == "erps":
                continue  # the Tryton module is loaded by trytond, not by us
            found.append(".".join(init.parent.relative_to(ROOT).parts))
    return sorted(found)


@pytest.mark.parametrize("top", sorted(ALLOWED))
def test_imports_point_down_only(top: str) -> None:
    wrong = []
    for path in _modules(top):
        for line, name in _imports(path):
            other = name.split(".", 1)[0]
            if other == top or other not in OURS:
                continue
            if other not in ALLOWED[top]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    assert wrong == []


@pytest.mark.parametrize("top", sorted(ALLOWED))
def test_private_modules_stay_inside_their_package(top: str) -> None:
    wrong = []
    for path in _modules(top):
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] == top or parts[0] not in OURS:
                continue
            # the imported name itself may be a private attribute; only modules count here
            if any(part.startswith("_") and part != "__future__" for part in parts[:-1]):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    assert wrong == []


def _ours(value: object) -> bool:
    """Defined by one of our packages (a helper imported from the standard library or a
    third party, such as ``typing.Any``, is not part of the surface)."""
    home = getattr(value, "__module__", None)
    if not isinstance(home, str):
        return True  # a constant bound in the package itself
    return home.split(".", 1)[0] in OURS


@pytest.mark.parametrize("package", _packages())
def test_package_exports_exactly_its_all(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list | tuple), f"{package} has no __all__"
    assert len(set(exported)) == len(exported), f"{package}.__all__ repeats a name"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], f"{package}.__all__ names what it does not bind"
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and name != "TYPE_CHECKING"
        and not isinstance(value, types.ModuleType | __future__._Feature)
        and _ours(value)
    }
    assert public - set(exported) == set(), f"{package} binds public names not in __all__"


DEV_ONLY = {"hypothesis", "pytest", "schemathesis", "playwright", "jsonschema", "scipy"}
"""Dev dependencies (pyproject's ``dev`` extra): the installed product must not need them."""
PYTEST_PLUGIN = ROOT / "tillbench" / "testing" / "plugin.py"
"""The pytest plugin (entry point ``pytest11``): only pytest loads it, so it may import pytest."""


@pytest.mark.parametrize("top", sorted(ALLOWED))
def test_product_needs_no_dev_dependency(top: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in _modules(top)
        for line, name in _imports(path)
        if name.split(".", 1)[0] in DEV_ONLY
        and not (path == PYTEST_PLUGIN and name.split(".", 1)[0] == "pytest")
    ]
    assert wrong == []


def test_only_pytest_loads_the_pytest_plugin() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for top in sorted(ALLOWED)
        for path in _modules(top)
        if path != PYTEST_PLUGIN
        for line, name in _imports(path)
        if name.startswith("tillbench.testing.plugin")
    ]
    assert wrong == []
