"""Find, read, compose and validate scenario files.

``load("grocery-chain")`` reads a bundled scenario, ``load("my.yaml")`` a file. A file may
say ``extends: NAME`` (a bundled name) or ``extends: other.yaml`` (relative to the file):
the base is loaded first and the file merged over it (see `scenarios._merge`). A file
without ``name`` is named after itself. Every problem in every file of the chain is
reported at once in a `ScenarioError`, each line naming the file at fault.

Files are read defensively, since a scenario may come from anyone:

- a file is at most `MAX_FILE_BYTES` (1 MiB; a scenario is a few kilobytes) of UTF-8 text,
  and its YAML is read with the budgets of `scenarios._yaml` (aliases may stand for at most
  `MAX_ALIASED_VALUES` values, nesting at most `MAX_DEPTH` deep), so a "billion laughs" or
  a deeply nested file is refused at once, in bounded memory;
- ``extends`` names a bundled scenario, a ``.yaml``/``.yml`` file inside the folder of the
  scenario being loaded (or below it), or the ``scenario.yaml`` of a run directory (beside
  its ``run.json``: what ``tillbench calibrate`` extends), symbolic links resolved; any
  other path is refused before anything is read;
- an error never quotes a file that is not a scenario: a file that is not a mapping of
  sections is described by what it holds (text, a list), not by its contents.
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
from ._yaml import MAX_ALIASED_VALUES, MAX_DEPTH, YamlProblem, read_yaml

__all__ = [
    "LIBRARY",
    "MAX_ALIASED_VALUES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "library",
    "library_path",
    "load",
]

LIBRARY = Path(__file__).parent
"""Folder of the bundled scenarios."""
MAX_FILE_BYTES = 1_048_576
"""Largest scenario file read (1 MiB); the bundled ones are under 4 KiB."""
_SUFFIXES = (".yaml", ".yml")
_EXTENDS = "extends"
_KINDS = {list: "a list", str: "text", bool: "true or false", int: "a number", float: "a number"}


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


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, a loop of links
        return False


def _locate(source: str | os.PathLike[str]) -> tuple[Path, str]:
    text = os.fspath(source)
    path = Path(text)
    if _is_file(path):
        return path, text
    if text in library():
        return library_path(text), _bundled_label(text)
    raise ScenarioError([_not_found(text[:200])])


def _text(path: Path, label: str) -> str:
    """The file's text: at most `MAX_FILE_BYTES` of UTF-8, never quoted in an error."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([f"{label}: cannot read the file ({exc.strerror})"]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                f"{label}: larger than {MAX_FILE_BYTES // 1024} KiB, the most a scenario file "
                "may be (they are a few KiB); is this the right file?"
            ]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [f"{label}: not a UTF-8 text file (byte {exc.start}); a scenario is YAML text"]
        ) from None


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        document = read_yaml(_text(path, label))
    except YamlProblem as problem:
        message = " ".join(problem.message.split())
        raise ScenarioError(
            [f"{label}:{problem.line}:{problem.column}: {problem.kind}: {message}"]
        ) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        holds = next((kind for t, kind in _KINDS.items() if isinstance(document, t)), "a value")
        raise ScenarioError(
            [
                f"{label}: not a scenario: it holds {holds}, where a scenario is a mapping of "
                "sections (name: ..., chain: ...)"
            ]
        )
    return document


_RUN_SCENARIO, _RUN_META = "scenario.yaml", "run.json"


def _run_scenario(path: Path) -> bool:
    """True for the resolved scenario of a run directory (``scenario.yaml`` by ``run.json``)."""
    try:
        real = path.resolve()
        return real.name == _RUN_SCENARIO and (real.parent / _RUN_META).is_file()
    except (OSError, RuntimeError):
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except (OSError, RuntimeError, ValueError):
        return False
    return True


def _base_of(reference: object, path: Path, label: str, root: Path) -> tuple[Path, str]:
    if not isinstance(reference, str) or not reference:
        raise ScenarioError(
            [
                f"{label}: {_EXTENDS}: must be a bundled name or a relative path, "
                f"got {render(reference)}"
            ]
        )
    if "/" in reference or "\\" in reference or reference.endswith(_SUFFIXES):
        shown = render(reference)
        base = path.parent / reference
        if not (_inside(base, root) or _inside(base, LIBRARY.resolve()) or _run_scenario(base)):
            raise ScenarioError(
                [
                    f"{label}: {_EXTENDS}: {shown} is outside this scenario's folder "
                    f"({root}); extend a bundled scenario, a file in that folder or a run "
                    "directory's scenario.yaml"
                ]
            )
        if not reference.endswith(_SUFFIXES):
            raise ScenarioError(
                [f"{label}: {_EXTENDS}: {shown} is not a scenario file (.yaml or .yml)"]
            )
        base_label = os.path.normpath(os.path.join(os.path.dirname(label), reference))
        if not _is_file(base):
            raise ScenarioError([_not_found(f"{label}: {_EXTENDS}", f"no such file {shown}")])
        return base, base_label
    if reference not in library():
        raise ScenarioError(
            [_not_found(f"{label}: {_EXTENDS}", f"no bundled scenario {reference!r}")]
        )
    return library_path(reference), _bundled_label(reference)


def _layer(path: Path, label: str, chain: tuple[Path, ...], root: Path) -> Layer:
    """``path`` merged over its bases; ``chain`` holds the files that extend it; bases must
    lie in ``root`` (the folder of the scenario being loaded) or the library."""
    document = expand_shorthands(_read(path, label))
    document.setdefault("name", path.stem)
    reference = document.pop(_EXTENDS, None)
    own = Layer.of(document, label)
    if reference is None:
        return own
    base_path, base_label = _base_of(reference, path, label, root)
    here, base = path.resolve(), base_path.resolve()
    if base in (*chain, here):
        cycle = " → ".join(p.name for p in (*chain, here, base))
        raise ScenarioError([f"{label}: {_EXTENDS}: forms a cycle {cycle}"])
    return _layer(base_path, base_label, (*chain, here), root).under(own)


def load(source: str | os.PathLike[str]) -> Scenario:
    """Load, compose and validate a scenario file or bundled scenario.

    Example::

        scenario = load("black-friday")
        scenario.erp.concurrency  # 5

    Raises `ScenarioError` with every problem found, one line each.
    """
    path, label = _locate(source)
    layer = _layer(path, label, (), path.resolve().parent)
    try:
        return Scenario.model_validate(layer.data)
    except ValidationError as exc:
        raise ScenarioError(
            error_lines(exc, model=Scenario, file_of=layer.file_of, extra_keys=(_EXTENDS,))
        ) from None
