"""`tillbench load --host` against endpoints tillbench did not start: the mocks run apart, as
"external" servers, and the load reaches them with the URLs and tokens of the environment
(loadtests/README.md, "Real endpoints and their auth")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tests.loadtests.support import locust_settings, mocks
from tillbench.cli._app import app
from tillbench.load.e2e import accept_rows
from tillbench.load.stats import AGGREGATED, read_stats

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def external(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with mocks(tmp_path_factory.mktemp("external")) as (servers, _scenario):
        yield servers


def _pos_references(servers: Any) -> set[str]:
    """The ``reference_id`` of every order the POS holds, through its public API."""
    headers = {"Authorization": f"Bearer {servers.credentials.harness}"}
    with httpx.Client(base_url=servers.pos_url, headers=headers, timeout=30) as client:
        locations = [loc["id"] for loc in client.get("/v2/locations").json()["locations"]]
        found: set[str] = set()
        cursor = None
        while True:
            body = {
                "location_ids": locations,
                "limit": 500,
                **({"cursor": cursor} if cursor else {}),
            }
            page = client.post("/v2/orders/search", json=body).json()
            found |= {o.get("reference_id") for o in page.get("orders") or []}
            cursor = page.get("cursor")
            if not cursor:
                return found


def _load(tmp_path: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, ["load", "demo", *args, "--out", str(tmp_path)])
    return result, next(iter(tmp_path.iterdir()), None)


def test_registers_reach_an_external_pos_with_the_environments_tokens(
    external: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in locust_settings(external).items():
        monkeypatch.setenv(name, value)
    result, run_dir = _load(
        tmp_path, "--host", external.pos_url, "--shape", "soak", "--duration", "4s", "--rate", "6"
    )
    assert result.exit_code == 0, result.output
    stats = read_stats(run_dir / "locust" / "locust_stats.csv")
    assert stats[AGGREGATED].failures == 0
    registers = ("pos:sale", "pos:return", "pos:cancel", "pos:post_void")
    sent = sum(stats[name].requests for name in registers if name in stats)
    accepted = {a.txn_id for a in accept_rows(run_dir / "locust" / "accepted")}
    assert len(accepted) >= sent > 0, (
        "a request answered while Locust shut down is not in its stats"
    )
    assert accepted <= _pos_references(external), "the external POS holds every accepted sale"
    assert not (run_dir / "summary.json").exists(), "an external run is not verified"
    assert not (run_dir / "logs").exists(), "no mock was started"


def test_a_wrong_token_in_the_environment_fails_the_run(
    external: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in locust_settings(external).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TILLBENCH_ADMIN_TOKEN", "not-the-admin-token")
    result, run_dir = _load(
        tmp_path, "--host", external.pos_url, "--shape", "soak", "--duration", "3s", "--rate", "4"
    )
    assert result.exit_code == 1, result.output
    stats = read_stats(run_dir / "locust" / "locust_stats.csv")
    assert stats["pos:sale"].failures == stats["pos:sale"].requests > 0


def test_erp_alone_saturation_against_an_external_erp(
    external: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in locust_settings(external).items():
        monkeypatch.setenv(name, value)
    args = ["--shape", "saturate", "--target", "erp", "--rate", "4", "--step", "4s"]
    result, run_dir = _load(tmp_path, "--host", external.erp_base, *args, "--p95-ms", "1")
    assert result.exit_code == 1, "a 1 ms objective breaks the first step"
    (step,) = json.loads((run_dir / "saturation.json").read_text())["steps"]
    assert step["requests"] > 0
    assert step["error_rate"] == 0, "the ERP token from the environment was accepted"
    assert step["breach"].startswith("p95")
