"""Child processes of a live run: a shell command (``FOO=1 cmd``, ``cd dir && cmd``) runs
in a process group of its own; stopping it lets the program under the shell finish its
SIGTERM handling, then nothing of the group is left."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tillbench.live.errors import HarnessError
from tillbench.live.processes import ManagedProcess, wait_healthy

GRACEFUL = """\
import os, pathlib, signal, subprocess, sys, time
here = pathlib.Path.cwd()
child = subprocess.Popen(["sleep", "300"])
(here / "started").write_text(f"{os.environ.get('FOO')} {child.pid}")
def finish(*_):
    time.sleep(0.5)
    (here / "finished").write_text("clean")
    sys.exit(0)
signal.signal(signal.SIGTERM, finish)
while True:
    time.sleep(0.1)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
    return state != "Z"


def _started(where: Path) -> str:
    deadline = time.monotonic() + 20
    while not (where / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.05)
    return (where / "started").read_text()


def test_cd_and_assignment_run_through_the_shell_and_stop_kills_the_group(tmp_path: Path) -> None:
    work = tmp_path / "connector dir"
    work.mkdir()
    (work / "graceful.py").write_text(GRACEFUL)
    command = f"cd '{work}' && FOO=1 {sys.executable} graceful.py"
    proc = ManagedProcess("connector", command, log=tmp_path / "out.log")
    foo, grandchild = _started(work).split()
    assert foo == "1"
    assert _alive(int(grandchild))

    proc.stop(grace=5)

    assert (work / "finished").read_text() == "clean", "SIGTERM handled, not cut short"
    assert not _alive(int(grandchild)), "the whole group is gone"
    assert not proc.group_alive()


def test_a_group_member_ignoring_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    script = tmp_path / "stubborn.py"
    script.write_text(
        "import pathlib, signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "pathlib.Path('started').write_text('- 0')\n"
        "time.sleep(300)\n"
    )
    proc = ManagedProcess("connector", f"cd '{tmp_path}' && {sys.executable} stubborn.py",
                          log=tmp_path / "out.log")  # fmt: skip
    _started(tmp_path)
    began = time.monotonic()
    proc.stop(grace=1)
    assert 0.9 < time.monotonic() - began < 5
    assert not proc.group_alive()


def test_wait_healthy_names_a_process_that_exited(tmp_path: Path) -> None:
    proc = ManagedProcess("connector", "FOO=1 exit 4", log=tmp_path / "out.log")
    try:
        with pytest.raises(HarnessError, match="connector exited with code 4 before it was"):
            wait_healthy(proc, "http://127.0.0.1:9/health", timeout=5)
    finally:
        proc.stop()
