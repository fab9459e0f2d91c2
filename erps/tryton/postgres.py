"""PostgreSQL databases for Tryton: a cached template per spec, copied with CREATE DATABASE.

The first init builds ``tillbench_build_<hash>``, renames it ``tillbench_tpl_<hash>`` when
complete (the loader's ids ride along as the database's comment), and every init then
recreates the target database with ``CREATE DATABASE name TEMPLATE tillbench_tpl_<hash>``.
The role of the URL needs CREATEDB.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from erps.errors import ErpError
from erps.tryton.config import write_config
from erps.tryton.paths import cache_dir

__all__ = ["prepare", "split_url"]


class _Build(Protocol):
    def __call__(
        self, spec: dict[str, Any], *, config: Path, name: str, progress: Callable[[str], None]
    ) -> dict[str, Any]: ...


def split_url(url: str) -> tuple[str, str]:
    """(server URL without database, database name) of ``postgresql://u:p@host:port/name``."""
    parts = urlsplit(url)
    name = parts.path.strip("/")
    if parts.scheme not in {"postgresql", "postgres"} or not name or "/" in name:
        raise ErpError(f"--db {_redact(url)}: expected postgresql://user:password@host:port/dbname")
    return urlunsplit(("postgresql", parts.netloc, "/", "", "")), name


def prepare(
    spec: dict[str, Any],
    digest: str,
    *,
    server: str,
    name: str,
    build: _Build,
    progress: Callable[[str], None],
) -> tuple[bool, dict[str, Any]]:
    """Make `name` a fresh copy of the spec's template (built first when missing)."""
    template = f"tillbench_tpl_{digest}"
    with _advisory_lock(server, digest):
        info = _template_info(server, template)
        hit = info is not None
        if info is None:
            info = _build_template(
                spec, digest, server=server, template=template, build=build, progress=progress
            )
        else:
            progress(f"Tryton template database {template} found")
        _execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return hit, info


@contextlib.contextmanager
def _advisory_lock(server: str, digest: str) -> Iterator[None]:
    """One builder per spec across processes: a second one waits, then finds the template."""
    key = int(digest[:15], 16)
    with _connect(server) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _build_template(
    spec: dict[str, Any],
    digest: str,
    *,
    server: str,
    template: str,
    build: _Build,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    staging = f"tillbench_build_{digest}"
    _execute(server, f'DROP DATABASE IF EXISTS "{staging}" WITH (FORCE)')
    _execute(server, f'CREATE DATABASE "{staging}"')
    cache_dir().mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"build-pg-{digest}-", dir=cache_dir()))
    try:
        config = write_config(workdir / "trytond.conf", uri=server)
        info = build(spec, config=config, name=staging, progress=progress)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    comment = json.dumps(info).replace("'", "''")
    _execute(server, f"COMMENT ON DATABASE \"{staging}\" IS '{comment}'")
    _execute(server, f'ALTER DATABASE "{staging}" RENAME TO "{template}"')
    return info


def _template_info(server: str, template: str) -> dict[str, Any] | None:
    rows = _query(
        server,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (template,),
    )
    if not rows or not rows[0][0]:
        return None
    info: dict[str, Any] = json.loads(rows[0][0])
    return info


def _connect(server: str) -> Any:
    import psycopg

    try:
        return psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ErpError(
            f"PostgreSQL at {_redact(server)} is unreachable ({first}); start it (for the "
            "local test server: `bash scripts/pg-test-db`) or fix the URL"
        ) from None


def _execute(server: str, sql: str) -> None:
    _query(server, sql, None)


def _query(server: str, sql: str, params: tuple[Any, ...] | None) -> list[tuple[Any, ...]]:
    import psycopg

    with _connect(server) as conn:
        try:
            cur = conn.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []
        except psycopg.errors.InsufficientPrivilege as exc:
            user = urlsplit(server).username or "?"
            raise ErpError(
                f"PostgreSQL role {user!r} may not run `{sql[:60]}` ({exc}); grant it with "
                f"`ALTER ROLE {user} CREATEDB` or use a role that has CREATEDB"
            ) from None
        except psycopg.Error as exc:
            raise ErpError(f"PostgreSQL at {_redact(server)}: `{sql[:80]}` failed: {exc}") from None


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
