"""Starting a reference connector without the contract's environment fails fast, naming the
missing variable (exit status 2)."""

from __future__ import annotations

import os
import subprocess
import sys

from conn_support import REPO


def test_missing_environment_exits_2_and_names_the_variable() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLBENCH_")}
    done = subprocess.run(
        [sys.executable, "-m", "connectors.realtime"],
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "TILLBENCH_RUN_ID: is required by the connector contract" in done.stdout
