"""The environment of the connector under test (``connectors/CONTRACT.md``): subscribe it to
the POS's webhooks, make its state and log folders and write its ``TILLBENCH_*`` variables
(``env.json``, ``env.sh``) into the run folder. Shared by ``tillbench run`` and
``tillbench load``."""

from __future__ import annotations

import dataclasses
import json
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
from tillbench.live.subscription import create_subscription

__all__ = ["ConnectorEnv", "prepare_connector_env"]


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


def prepare_connector_env(
    spec: ConnectorSpec,
    servers: MockServers,
    *,
    run_dir: Path,
    settings: dict[str, Any],
    extra: dict[str, str] | None = None,
) -> ConnectorEnv:
    """Subscribe a fresh webhook URL at the POS and write the connector's environment under
    ``run_dir/connector``; ``extra`` variables (e.g. a real ERP's) override the mocks'."""
    (listen_port,) = free_ports(1)
    hook_url = webhook_url(spec, listen_port)
    secret = create_subscription(
        servers.pos_url, token=servers.credentials.harness, notification_url=hook_url
    )
    folder = run_dir / "connector"
    for sub in ("state", "logs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    env = {
        "TILLBENCH_RUN_ID": run_dir.name,
        "TILLBENCH_POS_URL": servers.pos_url,
        "TILLBENCH_POS_TOKEN": servers.credentials.connector,
        "TILLBENCH_ERP_URL": servers.erp_url,
        "TILLBENCH_ERP_COMPANY": servers.company_id,
        "TILLBENCH_ERP_TOKEN": servers.credentials.connector,
        "TILLBENCH_WEBHOOK_SECRET": secret,
        "TILLBENCH_WEBHOOK_URL": hook_url,
        "TILLBENCH_LISTEN": listen_address(spec, listen_port),
        "TILLBENCH_STATE_DIR": str((folder / "state").resolve()),
        "TILLBENCH_LOG_DIR": str((folder / "logs").resolve()),
        "TILLBENCH_SETTINGS": json.dumps(settings),
        **(extra or {}),
    }
    write_env(env, folder)
    return ConnectorEnv(env, folder, base_url(spec, listen_port), hook_url)
