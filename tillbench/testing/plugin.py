"""The pytest plugin (entry point ``pytest11: tillbench``): fixtures for the mock POS and
ERP, live runs with their verdict, command-line options and a marker.

It is off unless used: importing it loads nothing but pytest and this module (the mocks,
the simulator and the harness are imported by the first fixture that needs them), it adds
no autouse fixture and changes no test that does not ask for one of its fixtures.

Fixtures::

    tillbench_pos, tillbench_erp                  a seeded mock per test (PosHandle, ErpHandle)
    tillbench_pos_session, tillbench_erp_session  one per session (shared state)
    tillbench_connector(command, pos=, erp=)      the connector under test against them
    tillbench_run(connector, scenario=, ...)      a live run → RunResult (verdict, paths)

Choosing what they start — the first that says it wins:

1. a parameter: ``@pytest.mark.parametrize("tillbench_erp", ["bc"], indirect=True)``
   (a dialect name, or a dict of the marker's keywords);
2. the marker: ``@pytest.mark.tillbench(scenario="demo", pos="square", erp="bc",
   mode="inprocess", overrides={"chain.stores": 2})`` on the test, its class or module;
3. the command line: ``--tillbench-scenario``, ``--tillbench-mock``; or the ini keys
   ``tillbench_scenario``, ``tillbench_mock``;
4. the defaults: the ``demo`` scenario, ``square`` and ``bc``, in process.

``--tillbench-keep-runs DIR`` keeps every run of ``tillbench_run`` under ``DIR`` (default:
the test's temporary folder); a failed test's report then ends with the verdict and the
paths of the run, and each run's folder and report are recorded as user properties (in
pytest's own ``--junitxml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tillbench.testing.connector import ConnectorHandle
    from tillbench.testing.handles import ErpHandle, PosHandle
    from tillbench.testing.results import RunResult
    from tillbench.testing.start import MockOptions

__all__ = [
    "pytest_addoption",
    "pytest_configure",
    "pytest_runtest_makereport",
    "tillbench_connector",
    "tillbench_erp",
    "tillbench_erp_session",
    "tillbench_pos",
    "tillbench_pos_session",
    "tillbench_run",
]

MARKER = (
    "tillbench(scenario=None, pos=None, erp=None, mode=None, overrides=None, seed=True): "
    "what the tillbench fixtures start for this test: a scenario (bundled name or YAML "
    "path) with dotted overrides, the POS and ERP dialects, inprocess or subprocess mocks"
)
_MARKER_KEYS = {"scenario", "pos", "erp", "mode", "overrides", "seed"}
_MODES = ("inprocess", "subprocess")
_RUNS = pytest.StashKey[list["RunResult"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tillbench", "tillbench (mock POS/ERP fixtures, live runs)")
    group.addoption(
        "--tillbench-scenario",
        metavar="NAME|PATH",
        default=None,
        help="scenario the tillbench fixtures seed the mocks from and tillbench_run runs "
        "(a bundled name such as demo, or a YAML file); default: demo",
    )
    group.addoption(
        "--tillbench-keep-runs",
        metavar="DIR",
        default=None,
        help="keep the run directories of tillbench_run under DIR (report.html, junit.xml, "
        "tables); default: the test's temporary folder",
    )
    group.addoption(
        "--tillbench-mock",
        choices=_MODES,
        default=None,
        help="start the fixtures' mocks in this process (fast) or as child processes; "
        "default: inprocess",
    )
    parser.addini("tillbench_scenario", "default for --tillbench-scenario", default=None)
    parser.addini("tillbench_keep_runs", "default for --tillbench-keep-runs", default=None)
    parser.addini("tillbench_mock", "default for --tillbench-mock", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


def _setting(config: pytest.Config, name: str) -> Any:
    """A command-line option, else its ini key (a relative path in the ini file is read
    from the ini file's folder, wherever pytest runs)."""
    value = config.getoption(f"--tillbench-{name.replace('_', '-')}")
    if value is not None:
        return value
    value = config.getini(f"tillbench_{name}") or None
    if value is not None and name in ("scenario", "keep_runs") and config.inipath is not None:
        beside = config.inipath.parent / str(value)
        if name == "keep_runs" or beside.exists():
            return str(beside)
    return value


def _marker_kwargs(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.scope != "function":
        return {}
    marker = request.node.get_closest_marker("tillbench")
    if marker is None:
        return {}
    if marker.args:
        raise pytest.UsageError(
            f"{request.node.nodeid}: @pytest.mark.tillbench takes keywords only "
            f"({', '.join(sorted(_MARKER_KEYS))}), got {marker.args!r}"
        )
    unknown = set(marker.kwargs) - _MARKER_KEYS
    if unknown:
        raise pytest.UsageError(
            f"{request.node.nodeid}: @pytest.mark.tillbench: unknown "
            f"{', '.join(sorted(unknown))}; expected {', '.join(sorted(_MARKER_KEYS))}"
        )
    return dict(marker.kwargs)


def _param_kwargs(request: pytest.FixtureRequest, side: str) -> dict[str, Any]:
    param = getattr(request, "param", None)
    if param is None:
        return {}
    if isinstance(param, str):
        return {side: param}
    if isinstance(param, dict):
        unknown = set(param) - _MARKER_KEYS
        if unknown:
            raise pytest.UsageError(
                f"{request.node.nodeid}: tillbench_{side} parameter: unknown "
                f"{', '.join(sorted(unknown))}; expected {', '.join(sorted(_MARKER_KEYS))}"
            )
        return dict(param)
    raise pytest.UsageError(
        f"{request.node.nodeid}: tillbench_{side} parameter: a dialect name or a dict, "
        f"got {param!r}"
    )


def _options(request: pytest.FixtureRequest, side: str) -> MockOptions:
    """What the fixture of ``side`` (``pos``/``erp``) starts (the module docstring's order)."""
    from tillbench.testing.start import MockOptions

    config = request.config
    chosen = {
        "scenario": _setting(config, "scenario"),
        "mode": _setting(config, "mock"),
        **{k: v for k, v in _marker_kwargs(request).items() if v is not None},
        **_param_kwargs(request, side),
    }
    return MockOptions(
        dialect=chosen.get(side),
        scenario=chosen.get("scenario") or "demo",
        overrides=dict(chosen.get("overrides") or {}),
        mode=chosen.get("mode") or "inprocess",
        seed=bool(chosen.get("seed", True)),
    )


def _start(request: pytest.FixtureRequest, side: str, workdir: Path) -> Iterator[Any]:
    from tillbench.testing.start import start_erp, start_pos

    options = _options(request, side)
    starter = start_pos if side == "pos" else start_erp
    kwargs: dict[str, Any] = {
        "scenario": options.scenario,
        "overrides": options.overrides,
        "mode": options.mode,
        "seed": options.seed,
        "workdir": workdir,
    }
    if options.dialect is not None:
        kwargs["dialect"] = options.dialect
    with starter(**kwargs) as handle:
        yield handle


@pytest.fixture
def tillbench_pos(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PosHandle]:
    """A mock POS for this test, seeded from the scenario (`PosHandle`)."""
    yield from _start(request, "pos", tmp_path_factory.mktemp("tillbench-pos"))


@pytest.fixture
def tillbench_erp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ErpHandle]:
    """A mock ERP for this test, seeded from the scenario (`ErpHandle`)."""
    yield from _start(request, "erp", tmp_path_factory.mktemp("tillbench-erp"))


@pytest.fixture(scope="session")
def tillbench_pos_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PosHandle]:
    """One mock POS for the whole session (state, faults cleared, carries over)."""
    yield from _start(request, "pos", tmp_path_factory.mktemp("tillbench-pos-session"))


@pytest.fixture(scope="session")
def tillbench_erp_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ErpHandle]:
    """One mock ERP for the whole session (state carries over between tests)."""
    yield from _start(request, "erp", tmp_path_factory.mktemp("tillbench-erp-session"))


@pytest.fixture
def tillbench_connector(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., ConnectorHandle]]:
    """Start the connector under test against mocks: ``tillbench_connector(command,
    pos=tillbench_pos, erp=tillbench_erp, settings=None)`` → `ConnectorHandle`; every
    connector started is stopped after the test."""
    import contextlib

    from tillbench.testing.connector import start_connector

    with contextlib.ExitStack() as stack:

        def start(command: Any, *, pos: Any, erp: Any, **kwargs: Any) -> ConnectorHandle:
            workdir = tmp_path_factory.mktemp("tillbench-connector")
            return stack.enter_context(
                start_connector(command, pos=pos, erp=erp, workdir=workdir, **kwargs)
            )

        yield start


@pytest.fixture
def tillbench_run(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., RunResult]:
    """Run a scenario live against a connector: ``tillbench_run(connector, scenario=None,
    overrides=None, pos=None, erp=None, speed=None, seed=None, connector_url=None,
    erp_events=True, health_timeout=None)`` → `RunResult`. The scenario and dialects
    default to the marker's, then ``--tillbench-scenario``, then ``demo``."""
    from tillbench.testing.runs import run_scenario

    keep = _setting(request.config, "keep_runs")
    out = Path(keep) if keep else tmp_path / "runs"
    defaults = {
        "scenario": _setting(request.config, "scenario"),
        **{k: v for k, v in _marker_kwargs(request).items() if v is not None},
    }
    runs = request.node.stash.setdefault(_RUNS, [])

    def run(connector: Any = None, **kwargs: Any) -> RunResult:
        for key in ("scenario", "overrides", "pos", "erp"):
            if kwargs.get(key) is None and defaults.get(key) is not None:
                kwargs[key] = defaults[key]
        kwargs.setdefault("scenario", "demo")
        if kwargs["scenario"] is None:
            kwargs["scenario"] = "demo"
        for key in ("pos", "erp"):
            if kwargs.get(key) is None:
                kwargs.pop(key, None)
        result = run_scenario(connector, out=out, **kwargs)
        runs.append(result)
        request.node.user_properties.append(("tillbench_run_dir", str(result.paths.run_dir)))
        if result.paths.report is not None:
            request.node.user_properties.append(("tillbench_report", str(result.paths.report)))
        return result

    return run


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    runs = item.stash.get(_RUNS, None)
    if runs and report.when == "call" and report.failed:
        text = "\n\n".join(result.explain() for result in runs)
        report.sections.append(("tillbench runs", text))
    return report
