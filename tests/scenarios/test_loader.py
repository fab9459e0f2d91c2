"""The loader against careless and hostile files: a billion laughs, oversized and binary
files, files that are not scenarios, ``extends`` that leaves the scenario's folder — each a
one-line `ScenarioError` naming the file, never a traceback, never a quote of a file that
is not a scenario."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from scenarios import ScenarioError, json_schema, library, load
from scenarios._loader import LIBRARY, MAX_FILE_BYTES
from tests.scenarios.support import time_limit

WriteFile = Callable[[str, str], Path]
SECRET = "root:x:0:0:root:/root:/bin/bash"


def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = json_schema().get("$defs", {})
    return definitions


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref") or next(
        (option.get("$ref") for option in schema.get("anyOf", []) if "$ref" in option), ""
    )
    return str(ref).rsplit("/", 1)[-1]


def _lines(source: str | Path) -> list[str]:
    with time_limit(30), pytest.raises(ScenarioError) as caught:
        load(source)
    return caught.value.lines


def _laughs(levels: int, width: int = 10) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_one_line_in_bounded_memory(write: WriteFile) -> None:
    write("laughs.yaml", "name: laughs\n" + _laughs(9))  # 10**10 values if built
    tracemalloc.start()
    try:
        lines = _lines("laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == [
        "laughs.yaml:5:45: YAML too large: the aliases up to *l2 stand for more than 10000 "
        "values (nested aliases, a 'billion laughs'?); write the values out or alias less"
    ]
    assert peak < 5_000_000


def test_a_billion_laughs_in_a_base_names_the_base(write: WriteFile) -> None:
    write("base.yaml", _laughs(9))
    write("child.yaml", "extends: base.yaml\n")
    (line,) = _lines("child.yaml")
    assert line.startswith("base.yaml:4:45: YAML too large: the aliases up to *l2")


def test_aliases_used_sparingly_are_fine(write: WriteFile) -> None:
    write(
        "aliases.yaml",
        """
        erp: {concurrency: &slots 3, queue: *slots}
        faults:
          - &outage {at: "12:00", for: 5m, target: erp, kind: outage}
          - {<<: *outage, at: "15:00"}
        """,
    )
    scenario = load("aliases.yaml")
    assert (scenario.erp.concurrency, scenario.erp.queue) == (3, 3)
    assert [str(fault.at) for fault in scenario.faults] == ["12:00", "15:00"]


def test_deep_nesting_is_one_line(write: WriteFile) -> None:
    write("deep.yaml", "chain: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert _lines("deep.yaml") == [
        "deep.yaml:1:39: YAML too large: lists and mappings nest more than 32 deep here"
    ]


def test_an_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (20 * MAX_FILE_BYTES) + b"\n")
    assert _lines(big) == [
        f"{big}: larger than 1024 KiB, the most a scenario file may be (they are a few KiB); "
        "is this the right file?"
    ]


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    head = b"name: padded\n"
    path.write_bytes(head + b"#" * (MAX_FILE_BYTES - len(head) - 1) + b"\n")
    assert load(path).name == "padded"


def test_a_binary_file_is_refused_without_quoting_it(tmp_path: Path) -> None:
    path = tmp_path / "tool.yaml"
    path.write_bytes(b"name: x\n\xff\xfe" + SECRET.encode())
    assert _lines(path) == [f"{path}: not a UTF-8 text file (byte 8); a scenario is YAML text"]


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        (SECRET + "\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", "text"),
        (f"- {SECRET}\n- b\n", "a list"),
        ("12345\n", "a number"),
        ("true\n", "true or false"),
    ],
)
def test_a_file_that_is_not_a_scenario_is_described_not_quoted(
    write: WriteFile, text: str, holds: str
) -> None:
    write("notes.yaml", text)
    assert _lines("notes.yaml") == [
        f"notes.yaml: not a scenario: it holds {holds}, where a scenario is a mapping of "
        "sections (name: ..., chain: ...)"
    ]


@pytest.mark.parametrize(
    "reference",
    [
        "../../../../etc/passwd",
        "../../../../etc/passwd.yaml",
        "/etc/passwd",
        "../outside.yaml",
        "sub/../../outside.yaml",
    ],
)
def test_extends_outside_the_folder_is_refused_before_reading(
    write: WriteFile, reference: str
) -> None:
    write("../outside.yaml", SECRET + "\n")
    write("child.yaml", f"extends: {reference}\n")
    (line,) = _lines("child.yaml")
    assert line == (
        f"child.yaml: extends: '{reference}' is outside this scenario's folder "
        f"({Path.cwd().resolve()}); extend a bundled scenario, a file in that folder or a run "
        "directory's scenario.yaml"
    )
    assert SECRET not in line


def test_extends_through_a_link_that_leaves_the_folder_is_refused(
    write: WriteFile, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text(SECRET + "\n")
    Path("inner.yaml").symlink_to(outside)
    write("child.yaml", "extends: inner.yaml\n")
    (line,) = _lines("child.yaml")
    assert line.startswith("child.yaml: extends: 'inner.yaml' is outside this scenario's folder")
    assert SECRET not in line


def test_extends_may_name_a_run_directorys_scenario_anywhere(write: WriteFile) -> None:
    write("../runs/r1/scenario.yaml", "extends: demo\nchain: {stores: 2}\n")
    write("../runs/r1/run.json", "{}")
    write("cal.yaml", "extends: ../runs/r1/scenario.yaml\nerp: {concurrency: 2}\n")
    assert load("cal.yaml").chain.stores == 2


def test_a_scenario_yaml_outside_the_folder_without_run_json_is_refused(
    write: WriteFile,
) -> None:
    write("../runs/r2/scenario.yaml", "extends: demo\n")
    write("cal.yaml", "extends: ../runs/r2/scenario.yaml\n")
    (line,) = _lines("cal.yaml")
    assert line.startswith("cal.yaml: extends: '../runs/r2/scenario.yaml' is outside this")


def test_extends_to_a_file_that_is_not_yaml_is_refused(write: WriteFile) -> None:
    write("notes/passwd", SECRET + "\n")
    write("child.yaml", "extends: notes/passwd\n")
    assert _lines("child.yaml") == [
        "child.yaml: extends: 'notes/passwd' is not a scenario file (.yaml or .yml)"
    ]


def test_extends_to_a_yaml_file_that_is_not_a_scenario_does_not_quote_it(
    write: WriteFile,
) -> None:
    write("data/list.yaml", f"- {SECRET}\n")
    write("child.yaml", "extends: data/list.yaml\n")
    assert _lines("child.yaml") == [
        "data/list.yaml: not a scenario: it holds a list, where a scenario is a mapping of "
        "sections (name: ..., chain: ...)"
    ]


def test_extends_below_the_folder_and_bundled_names_still_work(write: WriteFile) -> None:
    write("bases/stores.yaml", "extends: black-friday\nchain: {stores: 3}\n")
    write("child.yaml", "extends: bases/stores.yaml\nerp: {concurrency: 2}\n")
    scenario = load("child.yaml")
    assert (scenario.chain.stores, scenario.erp.concurrency) == (3, 2)


def test_every_file_of_a_chain_must_be_in_the_first_ones_folder(write: WriteFile) -> None:
    write("a/b/base.yaml", "chain: {stores: 3}\n")
    write("a/mid.yaml", "extends: b/base.yaml\n")
    write("a/b/top.yaml", "extends: ../mid.yaml\n")
    (line,) = _lines("a/b/top.yaml")
    assert line.startswith("a/b/top.yaml: extends: '../mid.yaml' is outside this scenario's")


def test_bundled_scenarios_extend_each_other_by_name() -> None:
    assert "extends: grocery-chain" in (LIBRARY / "black-friday.yaml").read_text()
    assert load("black-friday").chain.stores == 20


def test_a_source_name_too_long_for_the_file_system_is_one_line() -> None:
    (line,) = _lines("x" * 5000)
    assert line.startswith("x" * 200 + ": no such file or bundled scenario (bundled: ")
    assert len(line) < 400


def test_a_directory_is_not_a_scenario(tmp_path: Path) -> None:
    (line,) = _lines(tmp_path)
    assert line.startswith(f"{tmp_path}: no such file or bundled scenario")


def test_a_file_that_cannot_be_opened_is_one_line(write: WriteFile) -> None:
    path = write("locked.yaml", "name: x\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything
            pytest.skip("running as a user that reads unreadable files")
        assert _lines("locked.yaml") == ["locked.yaml: cannot read the file (Permission denied)"]
    finally:
        path.chmod(0o644)


# Fuzzing: whatever a file holds, the loader answers with a scenario or with one-line
# problems, within a time and memory budget; never a traceback.

PER_EXAMPLE = timedelta(seconds=5)
"""Hypothesis deadline of one example (a typical one takes milliseconds)."""
MEMORY_PER_EXAMPLE = 50_000_000
"""Most memory Python may allocate to load one fuzzed file (a typical one needs < 1 MB)."""
FIELDS: dict[str, list[str]] = {
    section: sorted(ref.get("properties", {}))
    for section, ref in (
        (name, _definitions().get(_ref_name(schema), {}))
        for name, schema in json_schema()["properties"].items()
    )
}

_ODD_TEXT = st.text(
    st.characters(
        categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Co"], exclude_characters="\x00"
    ),
    max_size=40,
)
_DURATIONS = st.from_regex(r"\A[0-9]{1,40}(\.[0-9]{1,5})?(us|ms|s|m|h|d)\Z") | st.sampled_from(
    ["1e400d", "-5m", "0s", "99999999999999999999999d", "+3h", "d9999999 12:00", "24:00"]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    _ODD_TEXT,
    _DURATIONS,
    st.dates(),
    st.datetimes(),
    st.binary(max_size=20),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def _scenario_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario-shaped mapping with hostile values at real field paths."""
    document: dict[str, Any] = {}
    for section in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=5, unique=True)):
        fields = FIELDS[section]
        if fields and draw(st.booleans()):
            keys = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique=True))
            document[section] = {key: draw(_VALUES) for key in keys}
        else:
            document[section] = draw(_VALUES)
    return document


def _dumped(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, default_flow_style=None)


@st.composite
def _alias_bombs(draw: st.DrawFn) -> str:
    levels = draw(st.integers(1, 40))
    width = draw(st.integers(1, 40))
    text = _laughs(levels, width)
    if draw(st.booleans()):
        text += f"chain: {{stores: *l{draw(st.integers(0, levels))}}}\n"
    if draw(st.booleans()):
        text += "loop: &loop [1, *loop]\n"
    return text


@st.composite
def _deep(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 1_200))  # past Python's recursion limit without the guard
    opening = draw(st.sampled_from(["[", "{a: "]))
    closing = "]" if opening == "[" else "}"
    return "traffic: " + opening * depth + "1" + closing * depth + "\n"


@st.composite
def _mutated_library(draw: st.DrawFn) -> str:
    text = (LIBRARY / f"{draw(st.sampled_from(library()))}.yaml").read_text()
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        text = text[:at] + draw(st.text(max_size=6)) + text[at + cut :]
    return text


@st.composite
def _huge_numbers(draw: st.DrawFn) -> str:
    section = draw(st.sampled_from([s for s in sorted(FIELDS) if FIELDS[s]]))
    field = draw(st.sampled_from(FIELDS[section]))
    digits = "9" * draw(st.integers(1, 6_000))
    number = draw(
        st.sampled_from(
            [digits, f"-{digits}", f"{digits}.5", f"1e{digits[:6]}", f"0x{digits}", f"{digits}d"]
        )
    )
    return f"{section}: {{{field}: {number}}}\nseed: {digits[:30]}\n"


_EXTENDS = (
    st.lists(
        st.sampled_from(["..", ".", "etc", "passwd", "base.yaml", "/", "~", "demo", "x.yml", "\\"]),
        min_size=1,
        max_size=6,
    ).map("/".join)
    | _ODD_TEXT
)

FAMILIES = {
    "binary": st.binary(max_size=4096).map(lambda data: data),
    "odd text": st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
    "scenario-shaped": _scenario_documents().map(lambda doc: _dumped(doc).encode()),
    "any YAML value": _VALUES.map(lambda value: _dumped(value).encode()),
    "alias bombs": _alias_bombs().map(str.encode),
    "deep nesting": _deep().map(str.encode),
    "huge numbers": _huge_numbers().map(str.encode),
    "mutated library": _mutated_library().map(lambda text: text.encode("utf-8", "surrogatepass")),
    "extends": _EXTENDS.map(lambda ref: _dumped({"extends": ref, "chain": {"stores": 2}}).encode()),
}


def _problems(path: Path) -> list[str]:
    """The lines of the `ScenarioError` loading ``path`` raises; [] when it loads."""
    try:
        load(path)
    except ScenarioError as error:
        return error.lines or ["(a ScenarioError without a line)"]
    return []


def _answer_is_a_scenario_or_one_line_problems(path: Path) -> None:
    for line in _problems(path):
        assert line != "(a ScenarioError without a line)"
        assert "\n" not in line
        assert "\r" not in line
        assert 0 < len(line) < 2_000
        assert "Traceback" not in line


def _fuzz(tmp_path: Path, family: str, *, examples: int, derandomize: bool) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "base.yaml").write_text("chain: {stores: 3}\n")
    path = folder / "fuzz.yaml"

    @settings(
        max_examples=examples,
        deadline=PER_EXAMPLE,
        derandomize=derandomize,
        database=None,
        phases=[Phase.generate],  # report the failing file as drawn: shrinking a slow one is slower
    )
    @given(FAMILIES[family])
    def check(data: bytes) -> None:
        path.write_bytes(data)
        tracemalloc.start()
        try:
            with time_limit(PER_EXAMPLE.total_seconds()):
                _answer_is_a_scenario_or_one_line_problems(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < MEMORY_PER_EXAMPLE, f"{peak} bytes to load {len(data)} bytes"

    check()


@pytest.mark.parametrize("family", FAMILIES)
def test_hostile_files_get_a_scenario_or_one_line_problems(tmp_path: Path, family: str) -> None:
    examples = 40 if family == "deep nesting" else 150  # 0.1-0.5 s each under tracemalloc
    _fuzz(tmp_path, family, examples=examples, derandomize=True)


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_hostile_files_get_a_scenario_or_one_line_problems_thorough(
    tmp_path: Path, family: str
) -> None:
    _fuzz(tmp_path, family, examples=500 if family == "deep nesting" else 2_000, derandomize=False)
