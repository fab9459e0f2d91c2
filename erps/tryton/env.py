"""Tryton's own virtualenv (`.venv-tryton/` at the repo root), created on demand.

tillbench never imports trytond or proteus: they live in this separate environment (their
pins must not clash with ours) and run as subprocesses. The environment also carries the
`tillbench_pos` Tryton module, copied into trytond's module directory and refreshed whenever
its source changes.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from erps.errors import ErpError

__all__ = ["REQUIREMENTS", "TrytonEnv", "ensure_env", "module_hash", "venv_dir"]

# REFERENCE (Tryton 8.2 as a real ERP): the install line; psycopg 3 and its pool for
# PostgreSQL (trytond's postgresql backend imports psycopg_pool).
REQUIREMENTS = (
    "trytond~=8.2.0",
    "trytond-sale-point~=8.2.0",
    "proteus~=8.2.0",
    "psycopg[binary]",
    "psycopg-pool",
)
MODULE_NAME = "tillbench_pos"
_MODULE_SRC = Path(__file__).with_name("module") / MODULE_NAME
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


def venv_dir() -> Path:
    """`$TILLBENCH_TRYTON_VENV`, else `.venv-tryton/` next to the `tillbench` package."""
    override = os.environ.get("TILLBENCH_TRYTON_VENV")
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[2] / ".venv-tryton"


def module_hash() -> str:
    """A digest of the `tillbench_pos` module's source (part of every database's cache key)."""
    digest = hashlib.sha256()
    for path in sorted(_MODULE_SRC.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_MODULE_SRC).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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
        _run([sys.executable, "-m", "venv", str(env.root)], "creating the virtualenv")
    _run(
        [str(env.python), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
        "pip install " + " ".join(f'"{r}"' for r in REQUIREMENTS),
    )


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise ErpError(
            f"{what} failed (exit {done.returncode}): {' | '.join(tail)}; check the package "
            f"index is reachable, or delete {venv_dir()} and retry"
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
    shutil.copytree(_MODULE_SRC, target, ignore=shutil.ignore_patterns("__pycache__"))
    marker.write_text(wanted)
