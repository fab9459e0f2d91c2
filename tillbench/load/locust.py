"""Run a Locust file headless as a subprocess (never imported: Locust patches with gevent).

One process, or one master and ``workers`` workers on loopback; the CSV files go to
``out_dir/<prefix>_stats.csv`` (and ``_stats_history.csv``, ``_failures.csv``,
``_exceptions.csv``) and the HTML report to ``out_dir/<prefix>.html``, where
`reports.charts.load` finds them (``RUN_DIR/locust/``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tillbench.live.ports import free_ports
from tillbench.load.errors import LoadError

__all__ = ["LOADTESTS", "LocustResult", "locust_env", "locustfile", "run_locust"]


def _loadtests_folder() -> Path:
    """The folder of the installed ``loadtests`` package, found without importing it."""
    spec = importlib.util.find_spec("loadtests")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise LoadError("the loadtests package is not installed; reinstall tillbench")
    return Path(locations[0]).resolve()


LOADTESTS = _loadtests_folder()
"""The Locust files shipped with tillbench (``loadtests/`` of the checkout or the wheel)."""

_EXIT_GRACE_S = 30.0


@dataclasses.dataclass(frozen=True, slots=True)
class LocustResult:
    """Where a headless Locust run wrote, and how it exited (1 = some request failed)."""

    returncode: int
    stats_csv: Path
    history_csv: Path
    html: Path
    log: Path


def locustfile(name: str) -> Path:
    """``loadtests/<name>.py``; `LoadError` naming the files there if it does not exist."""
    path = LOADTESTS / f"{name.removesuffix('.py')}.py"
    if not path.is_file():
        known = sorted(p.stem for p in LOADTESTS.glob("*.py") if _is_locustfile(p))
        raise LoadError(f"no Locust file {name!r} in {LOADTESTS}; choose one of {known}")
    return path


def _is_locustfile(path: Path) -> bool:
    return "HttpUser" in path.read_text()


def _locust_bin() -> str:
    beside = Path(sys.executable).with_name("locust")
    found = str(beside) if beside.exists() else shutil.which("locust")
    if not found:
        raise LoadError("the locust command is not installed; pip install locust")
    return found


def locust_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The process environment plus ``settings`` (the ``TILLBENCH_*`` variables)."""
    env = {**os.environ, **settings}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(LOADTESTS), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


def run_locust(
    file: Path,
    *,
    host: str,
    out_dir: Path,
    settings: Mapping[str, str],
    prefix: str = "locust",
    users: int | None = None,
    spawn_rate: float | None = None,
    run_time_s: float | None = None,
    workers: int = 0,
    user_classes: tuple[str, ...] = (),
    timeout_s: float = 3600.0,
) -> LocustResult:
    """Run ``file`` headless against ``host`` and wait for it.

    ``users``/``spawn_rate``/``run_time_s`` are Locust's ``-u``/``-r``/``-t`` (leave them
    out when ``settings`` select a ``TILLBENCH_SHAPE``); ``workers`` > 0 starts a master
    and that many worker processes on loopback; ``user_classes`` runs only those classes.
    Raises `LoadError` if Locust does not finish within ``timeout_s`` or writes no
    statistics.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    env = locust_env(settings)
    base = [_locust_bin(), "-f", str(file), "--host", host, *user_classes]
    main = [
        *base,
        "--headless",
        "--only-summary",
        "--csv",
        str(out_dir / prefix),
        "--csv-full-history",
        "--html",
        str(out_dir / f"{prefix}.html"),
        "--exit-code-on-error",
        "1",
        "--stop-timeout",
        "5",
    ]
    if users is not None:
        main += ["-u", str(users), "-r", str(spawn_rate or users)]
    if run_time_s is not None:
        main += ["-t", f"{max(1, round(run_time_s))}s"]
    log = out_dir / f"{prefix}.log"
    children: list[subprocess.Popen[bytes]] = []
    with log.open("wb") as sink:
        try:
            if workers > 0:
                (port,) = free_ports(1)
                main += [
                    "--master",
                    "--master-bind-host",
                    "127.0.0.1",
                    "--master-bind-port",
                    str(port),
                    "--expect-workers",
                    str(workers),
                ]
                for _ in range(workers):
                    worker = [*base, "--worker", "--master-host", "127.0.0.1"]
                    worker += ["--master-port", str(port)]
                    children.append(
                        subprocess.Popen(worker, env=env, stdout=sink, stderr=subprocess.STDOUT)
                    )
            master = subprocess.Popen(main, env=env, stdout=sink, stderr=subprocess.STDOUT)
            children.append(master)
            try:
                code = master.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                raise LoadError(
                    f"Locust did not finish within {timeout_s:.0f} s; see {log}"
                ) from None
            for child in children[:-1]:
                child.wait(timeout=_EXIT_GRACE_S)
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
    result = LocustResult(
        returncode=code,
        stats_csv=out_dir / f"{prefix}_stats.csv",
        history_csv=out_dir / f"{prefix}_stats_history.csv",
        html=out_dir / f"{prefix}.html",
        log=log,
    )
    if not result.stats_csv.is_file():
        tail = log.read_text(errors="replace")[-2000:]
        raise LoadError(f"Locust exited {code} without writing {result.stats_csv}:\n{tail}")
    return result
