"""Where Tryton's files live outside any checkout: the cache root, databases and virtualenv.

::

    $TILLBENCH_CACHE_DIR (default ~/.cache/tillbench)
        tryton/          initialised SQLite databases by spec hash   (cache_dir)
        venv-tryton/     Tryton's own virtualenv                      (venv_dir; or
                                                                      $TILLBENCH_TRYTON_VENV)

Nothing here depends on the current directory or on where tillbench is installed, so an
installed `tillbench` (a wheel in any virtualenv) finds the same environment and cache from
any directory.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "cache_root", "venv_dir"]


def cache_root() -> Path:
    """`$TILLBENCH_CACHE_DIR`, else `~/.cache/tillbench`."""
    root = os.environ.get("TILLBENCH_CACHE_DIR")
    return Path(root).expanduser() if root else Path.home() / ".cache" / "tillbench"


def cache_dir() -> Path:
    """The database cache: `cache_root()/tryton`."""
    return cache_root() / "tryton"


def venv_dir() -> Path:
    """Tryton's virtualenv: `$TILLBENCH_TRYTON_VENV`, else `cache_root()/venv-tryton`."""
    override = os.environ.get("TILLBENCH_TRYTON_VENV")
    if override:
        return Path(override).expanduser()
    return cache_root() / "venv-tryton"
