"""Start a seeded mock POS or ERP for a test and stop it afterwards.

Example::

    with start_erp(dialect="bc", scenario="demo") as erp, start_pos(scenario="demo") as pos:
        with erp.outage():
            refs = pos.ring_sales(3)
        erp.assert_posted_once(refs)

The fixtures ``tillbench_pos`` / ``tillbench_erp`` are these context managers; outside
pytest they serve any test runner (or a notebook). ``mode`` is ``inprocess`` (the default:
uvicorn on a thread of this process, fast) or ``subprocess`` (a child process, as
``tillbench run`` starts it). The database is a SQLite file in ``workdir`` (a temporary
folder, removed afterwards, unless given).
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from tillbench.testing.errors import SetupError, StartError
from tillbench.testing.handles import ErpHandle, MockHandle, PosHandle
from tillbench.testing.seeddata import load_scenario, seed_data

__all__ = ["MODES", "MockOptions", "start_erp", "start_pos"]

MODES = ("inprocess", "subprocess")
Mode = Literal["inprocess", "subprocess"]
H = TypeVar("H", bound=MockHandle)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MockOptions:
    """How a fixture's mock is started (from a marker, a parameter or the command line)."""

    dialect: str | None = None
    """``square`` for a POS, ``bc`` for an ERP (None: the side's default)."""
    scenario: Any = "demo"
    """A bundled scenario's name, a YAML path or a loaded scenario."""
    overrides: Mapping[str, object] = dataclasses.field(default_factory=dict)
    """Dotted scenario overrides, as ``--set`` takes them."""
    mode: Mode = "inprocess"
    seed: bool = True
    """Load the scenario's catalogue, stores, customers and opening stock."""


@contextlib.contextmanager
def start_pos(
    *,
    dialect: str = "square",
    scenario: Any = "demo",
    overrides: Mapping[str, object] | None = None,
    mode: Mode = "inprocess",
    seed: bool = True,
    workdir: Path | None = None,
) -> Iterator[PosHandle]:
    """A mock POS of ``dialect`` seeded from ``scenario``; stopped on the way out."""
    with _start(PosHandle, "pos", dialect, scenario, overrides, mode, seed, workdir) as pos:
        yield pos


@contextlib.contextmanager
def start_erp(
    *,
    dialect: str = "bc",
    scenario: Any = "demo",
    overrides: Mapping[str, object] | None = None,
    mode: Mode = "inprocess",
    seed: bool = True,
    workdir: Path | None = None,
) -> Iterator[ErpHandle]:
    """A mock ERP of ``dialect`` seeded from ``scenario``; stopped on the way out."""
    with _start(ErpHandle, "erp", dialect, scenario, overrides, mode, seed, workdir) as erp:
        yield erp


def _target(side: str, dialect: str) -> Any:
    from tillbench.live import UsageError, erp_target, pos_target
    from tillbench.live.targets.mock import MockTarget

    try:
        target = (pos_target if side == "pos" else erp_target)(dialect)
    except UsageError as exc:
        raise SetupError(f"tillbench_{side}: {exc}") from None
    if not isinstance(target, MockTarget):
        raise SetupError(
            f"tillbench_{side}: {dialect!r} is a real system, not a mock; run it with "
            f"tillbench_run(..., {side}={dialect!r})"
        )
    return target


def _settings(side: str, scenario: Any, credentials: Any, db: str) -> dict[str, Any]:
    from tillbench.live.mocks import erp_settings_for, mock_settings

    common = mock_settings(scenario, speed=float(scenario.speed), credentials=credentials)
    own = {"currency": scenario.currency} if side == "pos" else erp_settings_for(scenario)
    return {**common, **own, "db_url": db}


@contextlib.contextmanager
def _start(
    kind: type[H],
    side: str,
    dialect: str,
    scenario_source: Any,
    overrides: Mapping[str, object] | None,
    mode: str,
    seed: bool,
    workdir: Path | None,
) -> Iterator[H]:
    from tillbench.live import HarnessError
    from tillbench.live.mocks import ADMIN_TOKEN, Credentials, mock_db_url
    from tillbench.live.processes import ProcessSet
    from tillbench.live.targets import TargetRun
    from tillbench.testing.servers import InProcessServer, bind_target

    if mode not in MODES:
        raise SetupError(f"tillbench_{side}: mode must be one of {', '.join(MODES)}, got {mode!r}")
    scenario = load_scenario(scenario_source, overrides)
    target = _target(side, dialect)
    data = seed_data(scenario) if seed else None
    own_dir = workdir is None
    folder = Path(tempfile.mkdtemp(prefix=f"tillbench-{side}-")) if workdir is None else workdir
    folder.mkdir(parents=True, exist_ok=True)
    credentials = Credentials.generate()
    run = TargetRun(
        scenario=scenario, run_dir=folder, speed=float(scenario.speed), credentials=credentials
    )
    with contextlib.ExitStack() as stack:
        if own_dir:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        try:
            if mode == "inprocess":
                db = mock_db_url(folder, None, side)
                server = InProcessServer(
                    side=side,
                    factory=target.factory,
                    settings=_settings(side, scenario, credentials, db),
                    admin_token=ADMIN_TOKEN,
                ).start()
                stack.callback(server.stop)
                target = bind_target(target, run=run, server=server)
            else:
                procs = stack.enter_context(ProcessSet())
                target.start(run, procs)
            stack.callback(target.stop)
            target.ready()
            if data is not None:
                target.seed(data.world, data.stock)
        except HarnessError as exc:
            raise StartError(f"tillbench_{side} ({dialect}, {mode}): {exc}") from None
        handle = kind(
            target=target,
            data=data,
            scenario=scenario,
            token=credentials.connector,
            harness_token=credentials.harness,
            admin_token=ADMIN_TOKEN,
            mode=mode,
            workdir=folder,
        )
        stack.callback(handle.close)
        yield handle
