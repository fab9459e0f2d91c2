"""Running out of memory anywhere in a command: one plain line and exit code 3."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures.process import BrokenProcessPool

import pytest
from typer.testing import CliRunner

from tillbench.cli import app
from tillbench.cli._errors import OUT_OF_MEMORY, WORKER_DIED, masked

runner = CliRunner()


@pytest.mark.parametrize(
    ("raised", "line"), [(MemoryError, OUT_OF_MEMORY), (BrokenProcessPool, WORKER_DIED)]
)
def test_a_memory_error_in_a_command_is_one_line_and_exit_3(raised, line, tmp_path, monkeypatch):
    def exhausted(*args, **kwargs):
        raise raised()

    monkeypatch.setattr("tillbench.cli._simulate.run_traffic", exhausted)
    result = runner.invoke(app, ["simulate", "demo", "--traffic-only", "-o", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == line
    assert "Traceback" not in result.output


def test_a_memory_error_in_a_sub_command_group_is_caught_too(monkeypatch):
    def exhausted(source):
        raise MemoryError

    monkeypatch.setattr("scenarios.load", exhausted)
    result = runner.invoke(app, ["scenarios", "show", "demo"])
    assert result.exit_code == 3
    assert result.stderr == OUT_OF_MEMORY + "\n"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS caps memory on Linux")
def test_a_real_out_of_memory_simulation_ends_in_one_line(tmp_path):
    script = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (700 * 2**20, 700 * 2**20))
        sys.argv = ["tillbench", *sys.argv[1:]]
        from tillbench.__main__ import main
        main()
        """
    )
    argv = ["simulate", "demo", "--traffic-only", "--set", "chain.stores=50"]
    done = subprocess.run(
        [sys.executable, "-c", script, *argv, "--set", "duration=2d", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines()[-1] == OUT_OF_MEMORY
    assert "Traceback" not in done.stderr


def test_masked_hides_the_secrets_of_the_urls_given_and_of_any_url_in_the_text():
    url = "postgresql://till:s3cret@db/bench?sslpassword=k3yk3y"
    text = f"cannot connect to {url}: password s3cret refused (sslpassword k3yk3y); also mysql://a:b@c/d"
    assert masked(text, url, None) == (
        "cannot connect to postgresql://till:***@db/bench?sslpassword=***: password *** "
        "refused (sslpassword ***); also mysql://a:***@c/d"
    )
