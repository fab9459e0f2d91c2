"""Find, read, compose and validate scenario files.

``load("grocery-chain")`` reads a bundled scenario, ``load("my.yaml")`` a file. A file may
say ``extends: NAME`` (a bundled name) or ``extends: other.yaml`` (relative to the file):
the base is loaded first and the file merged over it (see `scenarios._merge`). A file
without ``name`` is named after itself. Every problem in every file of the chain is
reported at once in a `ScenarioError`, each line naming the file at fault.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ._errors import ScenarioError
from ._merge import Layer
from ._messages import error_lines
from ._render import render
from ._scenario import Scenario
from ._shorthands import expand_shorthands
from ._yaml import YamlProblem, read_yaml

__all__ = ["LIBRARY", "library", "library_path", "load"]

LIBRARY = Path(__file__).parent
"""Folder of the bundled scenarios."""
_SUFFIXES = (".yaml", ".yml")
_EXTENDS = "extends"


def library() -> list[str]:
    """Names of the bundled scenarios, sorted."""
    return sorted(path.stem for path in LIBRARY.glob("*.yaml"))


def _not_found(label: str, what: str = "no such file or bundled scenario") -> str:
    return f"{label}: {what} (bundled: {', '.join(library())})"


def library_path(name: str) -> Path:
    """The YAML file of bundled scenario ``name``; `ScenarioError` listing the names if unknown."""
    path = LIBRARY / f"{name}.yaml"
    if name not in library():
        raise ScenarioError([_not_found(name, "no bundled scenario of that name")])
    return path


def _bundled_label(name: str) -> str:
    return f"scenarios/{name}.yaml"


def _locate(source: str | os.PathLike[str]) -> tuple[Path, str]:
    text = os.fspath(source)
    path = Path(text)
    if path.is_file():
        return path, text
    if text in library():
        return library_path(text), _bundled_label(text)
    raise ScenarioError([_not_found(text)])


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{label}: cannot read the file ({exc})"]) from None
    try:
        document = read_yaml(text)
    except YamlProblem as problem:
        raise ScenarioError(
            [f"{label}:{problem.line}:{problem.column}: invalid YAML: {problem.message}"]
        ) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ScenarioError(
            [
                f"{label}: must be a mapping of sections (name: ..., chain: ...), "
                f"got {render(document)}"
            ]
        )
    return document


def _base_of(reference: object, path: Path, label: str) -> tuple[Path, str]:
    if not isinstance(reference, str) or not reference:
        raise ScenarioError(
            [
                f"{label}: {_EXTENDS}: must be a bundled name or a relative path, "
                f"got {render(reference)}"
            ]
        )
    if reference.endswith(_SUFFIXES) or "/" in reference:
        base = path.parent / reference
        base_label = os.path.normpath(os.path.join(os.path.dirname(label), reference))
        if not base.is_file():
            raise ScenarioError([_not_found(f"{label}: {_EXTENDS}", f"no such file {reference!r}")])
        return base, base_label
    if reference not in library():
        raise ScenarioError(
            [_not_found(f"{label}: {_EXTENDS}", f"no bundled scenario {reference!r}")]
        )
    return library_path(reference), _bundled_label(reference)


def _layer(path: Path, label: str, chain: tuple[Path, ...]) -> Layer:
    """``path`` merged over its bases; ``chain`` holds the files that extend it."""
    document = expand_shorthands(_read(path, label))
    document.setdefault("name", path.stem)
    reference = document.pop(_EXTENDS, None)
    own = Layer.of(document, label)
    if reference is None:
        return own
    base_path, base_label = _base_of(reference, path, label)
    here, base = path.resolve(), base_path.resolve()
    if base in (*chain, here):
        cycle = " → ".join(p.name for p in (*chain, here, base))
        raise ScenarioError([f"{label}: {_EXTENDS}: forms a cycle {cycle}"])
    return _layer(base_path, base_label, (*chain, here)).under(own)


def load(source: str | os.PathLike[str]) -> Scenario:
    """Load, compose and validate a scenario file or bundled scenario.

    Example::

        scenario = load("black-friday")
        scenario.erp.concurrency  # 5

    Raises `ScenarioError` with every problem found, one line each.
    """
    path, label = _locate(source)
    layer = _layer(path, label, ())
    try:
        return Scenario.model_validate(layer.data)
    except ValidationError as exc:
        raise ScenarioError(
            error_lines(exc, model=Scenario, file_of=layer.file_of, extra_keys=(_EXTENDS,))
        ) from None
