"""`run_scenario`: one live run (``tillbench run``) from a test, returned as a `RunResult`.

Example::

    result = run_scenario("python my_connector.py", scenario="demo",
                          overrides={"duration": "10m"}, out=tmp_path)
    result.assert_passed()
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tillbench.testing.errors import SetupError, StartError
from tillbench.testing.results import RunResult
from tillbench.testing.seeddata import load_scenario

__all__ = ["run_scenario"]


def command_line(connector: str | Sequence[str] | None) -> str | None:
    """A connector given as an argument list becomes one shell-quoted command."""
    if connector is None or isinstance(connector, str):
        return connector
    return shlex.join(str(part) for part in connector)


def run_scenario(
    connector: str | Sequence[str] | None = None,
    *,
    scenario: Any = "demo",
    overrides: Mapping[str, object] | None = None,
    out: Path,
    connector_url: str | None = None,
    pos: str = "square",
    erp: str = "bc",
    speed: float | None = None,
    seed: int | None = None,
    erp_events: bool = True,
    health_timeout: float | None = None,
) -> RunResult:
    """Run ``scenario`` live against ``connector`` (a command, an argument list, or a
    reference name: ``realtime``, ``batch``, ``hybrid``; or ``connector_url`` for one you
    run yourself), write the run under ``out`` and return its verdict.

    `SetupError` for what the caller can fix (a scenario, connector or option that cannot
    be used, a connector that never answers ``/health``); `StartError` when a mock fails.
    """
    from tillbench.live import HarnessError, UsageError, resolve_connector, run_live

    loaded = load_scenario(scenario, overrides)
    try:
        spec = resolve_connector(command_line(connector), connector_url)
        live = run_live(
            loaded,
            connector=spec,
            out=out,
            speed=speed,
            seed=seed,
            pos=pos,
            erp=erp,
            erp_events=erp_events,
            health_timeout_s=health_timeout,
        )
    except UsageError as exc:
        raise SetupError(f"tillbench_run: {exc}") from None
    except HarnessError as exc:
        raise StartError(f"tillbench_run: {exc}") from None
    return RunResult.from_live(live)
