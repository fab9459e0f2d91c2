"""trytond configuration files: where the database lives and where the server listens."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_config"]


def write_config(
    path: Path, *, uri: str, sqlite_dir: Path | None = None, port: int | None = None
) -> Path:
    """Write a trytond.conf at `path` and return it.

    SQLite wants ``uri = sqlite://`` and ``path = DIR`` (the file is ``DIR/NAME.sqlite``);
    PostgreSQL takes the server's URL without a database name (``-d`` names it).
    """
    lines = ["[database]", f"uri = {uri}"]
    if sqlite_dir is not None:
        lines.append(f"path = {sqlite_dir}")
    # trytond's RPC layer retries a lock (DatabaseOperationalError) this often before it
    # answers 503; sessions last a day so a long run does not keep logging in again.
    lines += ["retry = 5", "", "[session]", "timeout = 86400", ""]
    if port is not None:
        lines += ["[web]", f"listen = 127.0.0.1:{port}", ""]
    path.write_text("\n".join(lines))
    return path
