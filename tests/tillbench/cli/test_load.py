"""`tillbench load` usage errors: exit 2 with one line naming the option and the value,
also for a --pos/--erp a load does not drive."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tillbench.cli._app import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--shape", "wave"],
            "--shape must be one of day, ramp, spike, soak, saturate, got 'wave'",
        ),
        (["--duration", "soon"], "--duration: expected e.g. 90s, 10m or 1h, got 'soon'"),
        (["--shape", "saturate", "--target", "pos"], "--target must be one of integration, erp"),
        (
            ["--shape", "saturate", "--host", "http://127.0.0.1:9"],
            "against --host use --target erp",
        ),
        (["--settle-timeout", "0s"], "settle_s (--settle-timeout) must be > 0, got 0.0"),
        (["--erp", "odoo"], "--erp: expected one of bc, netsuite, tryton, got 'odoo'"),
        (["--pos", "clover"], "--pos: expected one of shopify, square, got 'clover'"),
        (
            ["--erp", "tryton"],
            "--erp tryton does not apply to tillbench load: its Locust files speak the mock "
            "Business Central's API (--erp bc); `tillbench run --pos square --erp tryton` runs "
            "that pair live",
        ),
    ],
)
def test_bad_options_exit_2_naming_the_value(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["load", "demo", *args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
