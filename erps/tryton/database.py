"""Initialised Tryton databases, cached by the hash of their master-data spec.

A fresh database costs `trytond-admin` (activate ``sale_point`` and ``tillbench_pos`` with
their dependencies, ~23 s on SQLite, ~58 s on PostgreSQL) plus the proteus load of the
master data (seconds). The result is cached: SQLite as a file under the cache directory
(``$TILLBENCH_CACHE_DIR/tryton`` or ``~/.cache/tillbench/tryton``), PostgreSQL as a template
database ``tillbench_tpl_<hash>``; a later init with the same spec copies it in seconds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from erps.errors import ErpError
from erps.tryton import postgres
from erps.tryton.config import write_config
from erps.tryton.env import TrytonEnv, ensure_env
from erps.tryton.master import spec_hash
from erps.tryton.paths import cache_dir
from erps.tryton.resources import MODULE_NAME, loader_path

__all__ = [
    "ADMIN_PASSWORD",
    "ADMIN_USER",
    "DATABASE_FILE",
    "TrytonDatabase",
    "init_database",
    "load_database",
]

ADMIN_USER = "admin"
ADMIN_PASSWORD = "tillbench-admin"
DATABASE_FILE = "tryton-database.json"
_SQLITE_NAME = "tillbench"


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonDatabase:
    """An initialised database in a work directory, ready for `start_server`."""

    name: str
    backend: str
    """``sqlite`` or ``postgresql``"""
    uri: str
    """trytond's ``[database] uri`` (PostgreSQL: the server URL without a database)"""
    workdir: Path
    spec_hash: str
    cache_hit: bool
    company: int
    points: dict[str, int]
    """store id -> sale.point id"""
    user: str = ADMIN_USER
    password: str = ADMIN_PASSWORD

    @property
    def sqlite_dir(self) -> Path | None:
        return self.workdir if self.backend == "sqlite" else None

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["workdir"] = str(self.workdir)
        return data


def load_database(workdir: Path) -> TrytonDatabase:
    """The database `init_database` left in `workdir`."""
    path = workdir / DATABASE_FILE
    if not path.exists():
        raise ErpError(
            f"{workdir}: no Tryton database here; run `tillbench erp tryton init SCENARIO "
            f"--dir {workdir}` first"
        )
    data = json.loads(path.read_text())
    data["workdir"] = workdir.resolve()
    return TrytonDatabase(**data)


def init_database(
    spec: dict[str, Any],
    *,
    workdir: Path,
    db_url: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrytonDatabase:
    """A database loaded with `spec` in `workdir` (SQLite) or at `db_url` (PostgreSQL).

    ``db_url`` is ``postgresql://user:pw@host:port/dbname``; ``dbname`` is dropped and
    recreated from the cached template. Cached by the spec's hash: the first init takes
    about half a minute (a minute on PostgreSQL), later ones seconds.
    """
    say = progress or (lambda _msg: None)
    _check_dates(spec)
    workdir.mkdir(parents=True, exist_ok=True)
    workdir = workdir.resolve()
    digest = spec_hash(spec)
    if db_url is None:
        hit, info = _sqlite(spec, digest, workdir, say)
        uri, name, backend = "sqlite://", _SQLITE_NAME, "sqlite"
    else:
        server, name = postgres.split_url(db_url)
        hit, info = postgres.prepare(
            spec, digest, server=server, name=name, build=_build, progress=say
        )
        uri, backend = server, "postgresql"
    db = TrytonDatabase(
        name=name,
        backend=backend,
        uri=uri,
        workdir=workdir,
        spec_hash=digest,
        cache_hit=hit,
        company=int(info["company"]),
        points={k: int(v) for k, v in info["points"].items()},
    )
    (workdir / DATABASE_FILE).write_text(json.dumps(db.to_json(), indent=2))
    return db


def _check_dates(spec: dict[str, Any]) -> None:
    end = dt.date.fromisoformat(spec["dates"]["end"])
    today = dt.date.today()
    if end > today:
        raise ErpError(
            f"scenario {spec['scenario']!r} runs until {end}, after today ({today}): Tryton "
            "refuses stock moves dated in the future; give the scenario an earlier start "
            "(e.g. --set start=...)"
        )


def _sqlite(
    spec: dict[str, Any], digest: str, workdir: Path, say: Callable[[str], None]
) -> tuple[bool, dict[str, Any]]:
    cache = cache_dir()
    cached = cache / f"{digest}.sqlite"
    meta = cache / f"{digest}.json"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        hit = _sqlite_cached(spec, digest, cache, say)
    target = workdir / f"{_SQLITE_NAME}.sqlite"
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(cached, target)
    return hit, json.loads(meta.read_text())


def _sqlite_cached(
    spec: dict[str, Any], digest: str, cache: Path, say: Callable[[str], None]
) -> bool:
    """Build the spec's cached SQLite file unless it is there; whether it was (a hit)."""
    cached = cache / f"{digest}.sqlite"
    meta = cache / f"{digest}.json"
    hit = cached.exists() and meta.exists()
    if not hit:
        build = Path(tempfile.mkdtemp(prefix=f"build-{digest}-", dir=cache))
        try:
            (build / f"{_SQLITE_NAME}.sqlite").touch()
            config = write_config(build / "trytond.conf", uri="sqlite://", sqlite_dir=build)
            info = _build(spec, config=config, name=_SQLITE_NAME, progress=say)
            _seal(build / f"{_SQLITE_NAME}.sqlite")
            os.replace(build / f"{_SQLITE_NAME}.sqlite", cached)
            meta.write_text(json.dumps(info))
        finally:
            shutil.rmtree(build, ignore_errors=True)
    else:
        say(f"Tryton database for spec {digest} found in the cache ({cache})")
    return hit


def _seal(path: Path) -> None:
    """Fold any write-ahead log into the file, so a copy of the file alone is complete."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        raise ErpError(f"{path}: the new Tryton database fails SQLite's quick_check: {verdict}")


def _build(
    spec: dict[str, Any], *, config: Path, name: str, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Activate the modules in database `name` and load the master data; the loader's ids."""
    env: TrytonEnv = ensure_env(progress=progress)
    workdir = config.parent
    passfile = workdir / "admin.pass"
    passfile.write_text(ADMIN_PASSWORD + "\n")
    progress(f"activating sale_point and {MODULE_NAME} in {name} (about 25 s on SQLite)")
    _run(
        [
            str(env.trytond_admin),
            "-c",
            str(config),
            "-d",
            name,
            "-u",
            "sale_point",
            MODULE_NAME,
            "--activate-dependencies",
            "--email",
            "admin@example.com",
        ],
        what="trytond-admin",
        env={**os.environ, "TRYTONPASSFILE": str(passfile)},
    )
    spec_path = workdir / "spec.json"
    spec_path.write_text(json.dumps(spec))
    progress(f"loading master data: {len(spec['products'])} products, {len(spec['stores'])} stores")
    with loader_path() as loader:
        out = _run(
            [
                str(env.python),
                str(loader),
                "--config",
                str(config),
                "--database",
                name,
                "--spec",
                str(spec_path),
            ],
            what="loading the master data (proteus)",
            env=dict(os.environ),
        )
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _run(cmd: list[str], *, what: str, env: dict[str, str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise ErpError(
            f"{what} failed (exit {done.returncode}): {' | '.join(lines[-3:])}; "
            f"command: {' '.join(cmd)}"
        )
    return done.stdout
