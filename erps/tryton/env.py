"""Tryton's own virtualenv, created on demand (`erps.tryton.paths.venv_dir`).

tillbench never imports trytond or proteus: they live in this separate environment (their
pins must not clash with ours) and run as subprocesses. The environment sits beside the
database cache (``~/.cache/tillbench/venv-tryton`` unless ``TILLBENCH_CACHE_DIR`` or
``TILLBENCH_TRYTON_VENV`` say otherwise), not in a checkout, so an installed tillbench
finds it from any directory. It also carries the ``tillbench_pos`` Tryton module, copied
from the package data into trytond's module directory and refreshed whenever it changes.
"""

from __future__ import annotations

import dataclasses
import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from erps.errors import ErpError
from erps.tryton.paths import venv_dir
from erps.tryton.resources import MODULE_NAME, copy_module, module_hash

__all__ = ["REQUIREMENTS", "TrytonEnv", "ensure_env"]

# REFERENCE (Tryton 8.2 as a real ERP): the install line; psycopg 3 and its pool for
# PostgreSQL (trytond's postgresql backend imports psycopg_pool).
REQUIREMENTS = (
    "trytond~=8.2.0",
    "trytond-sale-point~=8.2.0",
    "proteus~=8.2.0",
    "psycopg[binary]",
    "psycopg-pool",
)
_STAMP = ".tillbench-stamp"


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonEnv:
    """Paths into the Tryton virtualenv."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def trytond(self) -> Path:
        return self.root / "bin" / "trytond"

    @property
    def trytond_admin(self) -> Path:
        return self.root / "bin" / "trytond-admin"


def ensure_env(*, progress: Callable[[str], None] | None = None) -> TrytonEnv:
    """Create (or check) the Tryton virtualenv; seconds when it is already there."""
    say = progress or (lambda _msg: None)
    env = TrytonEnv(venv_dir())
    env.root.mkdir(parents=True, exist_ok=True)
    with (env.root / ".tillbench-lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time across processes
        stamp = env.root / _STAMP
        wanted = "\n".join(REQUIREMENTS)
        if not (env.python.exists() and stamp.exists() and stamp.read_text() == wanted):
            say(f"creating the Tryton environment in {env.root} (about 10 s)")
            _create(env)
            stamp.write_text(wanted)
        _install_module(env, say)
    return env


def _create(env: TrytonEnv) -> None:
    if not env.python.exists():
        _run([sys.executable, "-m", "venv", str(env.root)], "creating the virtualenv", env)
    _run(
        [str(env.python), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
        "pip install " + " ".join(f'"{r}"' for r in REQUIREMENTS),
        env,
    )


def _run(cmd: list[str], what: str, env: TrytonEnv) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise ErpError(
            f"{what} failed (exit {done.returncode}): {' | '.join(tail)}; check the package "
            f"index is reachable, or delete {env.root} and retry"
        )


def _install_module(env: TrytonEnv, say: Callable[[str], None]) -> None:
    modules = sorted(env.root.glob("lib/python*/site-packages/trytond/modules"))
    if not modules:
        raise ErpError(
            f"{env.root}: no trytond/modules directory; delete {env.root} and run "
            "`tillbench erp tryton init` again"
        )
    target = modules[0] / MODULE_NAME
    marker = target / ".hash"
    wanted = module_hash()
    if marker.exists() and marker.read_text() == wanted:
        return
    say(f"installing the {MODULE_NAME} Tryton module")
    shutil.rmtree(target, ignore_errors=True)
    copy_module(target)
    marker.write_text(wanted)
