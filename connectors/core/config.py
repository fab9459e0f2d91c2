"""The contract's environment, read and checked once at start-up.

Every variable of ``CONTRACT.md`` becomes a field of `ContractEnv`; ``TILLBENCH_SETTINGS``
(the scenario's ``integration`` section, durations already in wall seconds) becomes
`Integration`. A missing or malformed variable raises `ConfigError` naming it.
``TILLBENCH_POS_KIND`` and ``TILLBENCH_ERP_KIND`` choose the adapters by their names in
`connectors.pos.ADAPTERS` and `connectors.erp.ADAPTERS`; what an adapter needs beyond that
(e.g. Tryton's ``USER:PASSWORD`` token) its factory checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors import erp, pos
from connectors.core.errors import ConfigError
from connectors.core.retry import RetryPolicy
from domain.durations import duration_seconds

REQUIRED = (
    "TILLBENCH_RUN_ID",
    "TILLBENCH_POS_URL",
    "TILLBENCH_POS_TOKEN",
    "TILLBENCH_ERP_URL",
    "TILLBENCH_ERP_COMPANY",
    "TILLBENCH_ERP_TOKEN",
    "TILLBENCH_WEBHOOK_SECRET",
    "TILLBENCH_WEBHOOK_URL",
    "TILLBENCH_LISTEN",
    "TILLBENCH_STATE_DIR",
)


DEFAULT_POS_KIND = "square"
"""``TILLBENCH_POS_KIND`` when unset."""
DEFAULT_ERP_KIND = "bc"
"""``TILLBENCH_ERP_KIND`` when unset."""

_NUMBER = re.compile(r"\s*\d+(?:\.\d+)?\s*")


def seconds(value: object, name: str) -> float:
    """A duration in wall seconds from a number or a string such as ``"15s"``/``"200ms"``."""
    if isinstance(value, bool):
        raise ConfigError(name, value, "must be a duration in seconds such as 15 or '15s'")
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = str(value)
        try:
            result = float(text) if _NUMBER.fullmatch(text) else duration_seconds(text)
        except ValueError:
            raise ConfigError(
                name, value, "must be a duration in seconds such as 15 or '15s'"
            ) from None
    if result < 0:
        raise ConfigError(name, value, "must be >= 0")
    return result


def _positive_int(data: Mapping[str, Any], key: str, default: int, name: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{name}.{key}", value, "must be a whole number >= 1")
    return value


def _count(data: Mapping[str, Any], key: str, default: int, name: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{name}.{key}", value, "must be a whole number >= 0")
    return value


@dataclass(frozen=True, slots=True)
class Integration:
    """``TILLBENCH_SETTINGS``: how the connector paces itself (wall seconds)."""

    mode: str = "realtime"
    interval: float = 15.0
    """Batch mode: seconds between two polls of the POS."""
    max_batch: int = 100
    """Most operations in one ERP ``$batch``."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    catalog_poll: float = 5.0
    """Seconds between two polls of the ERP for changed items and customers."""
    workers: int = 4
    """Concurrent ERP posters (keep at or under the ERP's concurrency cap)."""
    drain_at: int = 8
    """Realtime: more documents than this due at once go to the ERP through its batch path
    (up to ``max_batch`` per round) instead of one by one; 0 posts one by one always."""
    request_timeout: float = 10.0
    """Seconds before an ERP or POS request counts as timed out (outcome unknown)."""
    settle: float | None = None
    """Seconds to wait before looking up a posting whose outcome is unknown (default: twice
    ``request_timeout``), so a request the ERP was still working on has landed."""

    @property
    def settle_seconds(self) -> float:
        """`settle`, or its default."""
        return 2 * self.request_timeout if self.settle is None else self.settle

    @classmethod
    def parse(cls, raw: str | None) -> Integration:
        """Read the JSON object of ``TILLBENCH_SETTINGS`` (empty or absent: defaults)."""
        name = "TILLBENCH_SETTINGS"
        if not raw or not raw.strip():
            return cls()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ConfigError(name, raw[:80], f"must be a JSON object ({error.msg})") from None
        if not isinstance(data, dict):
            raise ConfigError(name, raw[:80], "must be a JSON object")
        retry_raw = data.get("retry") or {}
        if not isinstance(retry_raw, dict):
            raise ConfigError(f"{name}.retry", retry_raw, "must be an object")
        retry = RetryPolicy(
            attempts=_positive_int(retry_raw, "attempts", 8, f"{name}.retry"),
            base=seconds(retry_raw.get("base", 1.0), f"{name}.retry.base"),
            cap=seconds(retry_raw.get("cap", 300.0), f"{name}.retry.cap"),
            jitter=str(retry_raw.get("jitter", "full")),
        )
        mode = str(data.get("mode", "realtime"))
        if mode not in ("realtime", "batch", "hybrid"):
            raise ConfigError(f"{name}.mode", mode, "must be realtime, batch or hybrid")
        return cls(
            mode=mode,
            interval=max(0.05, seconds(data.get("interval", 15.0), f"{name}.interval")),
            max_batch=min(1000, _positive_int(data, "max_batch", 100, name)),
            retry=retry,
            catalog_poll=max(0.05, seconds(data.get("catalog_poll", 5.0), f"{name}.catalog_poll")),
            workers=min(64, _positive_int(data, "workers", 4, name)),
            drain_at=_count(data, "drain_at", 8, name),
            request_timeout=max(
                0.1, seconds(data.get("request_timeout", 10.0), f"{name}.request_timeout")
            ),
            settle=None
            if data.get("settle") is None
            else seconds(data["settle"], f"{name}.settle"),
        )


@dataclass(frozen=True, slots=True)
class ContractEnv:
    """Everything the harness hands over (see ``connectors/CONTRACT.md``)."""

    run_id: str
    pos_url: str
    pos_token: str
    erp_url: str
    erp_company: str
    erp_token: str
    webhook_secret: str
    webhook_url: str
    host: str
    port: int
    state_dir: Path
    log_dir: Path
    integration: Integration
    pos_kind: str = DEFAULT_POS_KIND
    """Which POS ``TILLBENCH_POS_URL`` points at: a name in `connectors.pos.ADAPTERS`."""
    erp_kind: str = DEFAULT_ERP_KIND
    """Which ERP ``TILLBENCH_ERP_URL`` points at: a name in `connectors.erp.ADAPTERS`."""

    @property
    def webhook_path(self) -> str:
        """The path webhooks are POSTed to (the path of ``TILLBENCH_WEBHOOK_URL``)."""
        rest = self.webhook_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path.split("?", 1)[0]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ContractEnv:
        """Read and check the environment; raises `ConfigError` naming the first bad one."""
        for name in REQUIRED:
            if not environ.get(name, "").strip():
                raise ConfigError(name, environ.get(name), "is required by the connector contract")
        listen = environ["TILLBENCH_LISTEN"].strip()
        host, sep, port_text = listen.rpartition(":")
        if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError("TILLBENCH_LISTEN", listen, "must be HOST:PORT, e.g. 127.0.0.1:8103")
        for name in ("TILLBENCH_POS_URL", "TILLBENCH_ERP_URL", "TILLBENCH_WEBHOOK_URL"):
            if not environ[name].startswith(("http://", "https://")):
                raise ConfigError(name, environ[name], "must be an http:// or https:// URL")
        pos_kind = _kind(environ, "TILLBENCH_POS_KIND", DEFAULT_POS_KIND, pos.ADAPTERS)
        erp_kind = _kind(environ, "TILLBENCH_ERP_KIND", DEFAULT_ERP_KIND, erp.ADAPTERS)
        state_dir = Path(environ["TILLBENCH_STATE_DIR"])
        log_dir = Path(environ.get("TILLBENCH_LOG_DIR") or state_dir / "logs")
        return cls(
            run_id=environ["TILLBENCH_RUN_ID"],
            pos_url=environ["TILLBENCH_POS_URL"].rstrip("/"),
            pos_token=environ["TILLBENCH_POS_TOKEN"],
            erp_url=environ["TILLBENCH_ERP_URL"].rstrip("/"),
            erp_company=environ["TILLBENCH_ERP_COMPANY"],
            erp_token=environ["TILLBENCH_ERP_TOKEN"],
            webhook_secret=environ["TILLBENCH_WEBHOOK_SECRET"],
            webhook_url=environ["TILLBENCH_WEBHOOK_URL"],
            host=host,
            port=int(port_text),
            state_dir=state_dir,
            log_dir=log_dir,
            integration=Integration.parse(environ.get("TILLBENCH_SETTINGS")),
            pos_kind=pos_kind,
            erp_kind=erp_kind,
        )


def _kind(environ: Mapping[str, str], name: str, default: str, known: Mapping[str, str]) -> str:
    """An adapter name from ``environ[name]`` (``default`` when unset), one of ``known``."""
    kind = (environ.get(name) or default).strip().lower()
    if kind not in known:
        names = sorted(known)
        choices = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise ConfigError(name, kind, f"must be {choices}")
    return kind
