"""The environment of the connector under test (``connectors/CONTRACT.md``): subscribe it to
the POS's webhooks, make its state and log folders and write its ``TILLBENCH_*`` variables
(``env.json``, ``env.sh``) into the run folder.

`connector_env` takes the two targets of a run (each gives its side's variables, kind
included, and the POS makes the subscription); `prepare_connector_env` does the same for
the mocks of `tillbench.live.mocks.launch_mocks`. ``tillbench run`` and ``tillbench load``
use them, and so do the connector tests.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tillbench.live.connector import (
    ConnectorSpec,
    base_url,
    listen_address,
    webhook_url,
    write_env,
)
from tillbench.live.mocks import MockServers
from tillbench.live.ports import free_ports
from tillbench.live.targets import ErpTarget, PosTarget

__all__ = ["ConnectorEnv", "connector_env", "prepare_connector_env"]


@dataclasses.dataclass(frozen=True, slots=True)
class ConnectorEnv:
    """``env`` as written to ``folder``; the connector serves ``/health`` at ``url`` and
    receives the POS's webhooks at ``webhook``."""

    env: dict[str, str]
    folder: Path
    url: str
    webhook: str

    @property
    def log_dir(self) -> Path:
        return self.folder / "logs"


def connector_env(
    spec: ConnectorSpec,
    *,
    pos: PosTarget,
    erp: ErpTarget,
    run_dir: Path,
    settings: dict[str, Any],
) -> ConnectorEnv:
    """Subscribe a fresh webhook URL at ``pos`` and write the connector's environment (both
    targets' variables) under ``run_dir/connector``."""
    return _prepare(
        spec,
        run_dir=run_dir,
        settings=settings,
        subscribe=pos.subscribe,
        sides={**pos.connector_env(), **erp.connector_env()},
    )


def prepare_connector_env(
    spec: ConnectorSpec,
    servers: MockServers,
    *,
    run_dir: Path,
    settings: dict[str, Any],
    extra: dict[str, str] | None = None,
) -> ConnectorEnv:
    """`connector_env` for the mocks of ``servers``; ``extra`` variables (e.g. a real ERP's,
    when ``servers`` has no mock ERP) override theirs."""
    assert servers.pos is not None, "MockServers of launch_mocks carry their targets"
    erp = servers.erp.connector_env() if servers.erp is not None else {}
    return _prepare(
        spec,
        run_dir=run_dir,
        settings=settings,
        subscribe=servers.pos.subscribe,
        sides={**servers.pos.connector_env(), **erp, **(extra or {})},
    )


def _prepare(
    spec: ConnectorSpec,
    *,
    run_dir: Path,
    settings: dict[str, Any],
    subscribe: Callable[[str], str],
    sides: dict[str, str],
) -> ConnectorEnv:
    (listen_port,) = free_ports(1)
    hook_url = webhook_url(spec, listen_port)
    secret = subscribe(hook_url)
    folder = run_dir / "connector"
    for sub in ("state", "logs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    env = {
        "TILLBENCH_RUN_ID": run_dir.name,
        **sides,
        "TILLBENCH_WEBHOOK_SECRET": secret,
        "TILLBENCH_WEBHOOK_URL": hook_url,
        "TILLBENCH_LISTEN": listen_address(spec, listen_port),
        "TILLBENCH_STATE_DIR": str((folder / "state").resolve()),
        "TILLBENCH_LOG_DIR": str((folder / "logs").resolve()),
        "TILLBENCH_SETTINGS": json.dumps(settings),
    }
    write_env(env, folder)
    return ConnectorEnv(env, folder, base_url(spec, listen_port), hook_url)
