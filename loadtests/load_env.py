"""What the Locust files read from the environment (set by ``tillbench load``), with defaults
for a bare ``locust -f loadtests/<file>.py`` against ``tillbench mock pos|erp``.

No Locust import here: the orchestrator and the tests read the same names without gevent.

Variables (all optional):

- ``TILLBENCH_POS_URL`` / ``TILLBENCH_ERP_URL``: bases (``--host`` wins for the file's main
  target); the ERP URL is the server root, the API is under ``/api/v2.0``.
- ``TILLBENCH_POS_TOKEN`` / ``TILLBENCH_ERP_TOKEN``: bearer tokens of the API
  (``tillbench mock`` accepts ``tillbench-token``); ``TILLBENCH_ADMIN_TOKEN`` the mocks'
  admin token (the POS driver endpoint and the ERP catalogue seed need it).
- ``TILLBENCH_ERP_USER`` / ``TILLBENCH_ERP_PASSWORD``: HTTP Basic for the ERP instead of
  the bearer token (Business Central on premises: user name and web service access key).
- ``TILLBENCH_ERP_COMPANY``: company id (default: the first of ``/companies``).
- ``TILLBENCH_SCENARIO`` (file or bundled name, default ``demo``), ``TILLBENCH_SEED``.
- ``TILLBENCH_SHAPE`` (``day|ramp|spike|soak|constant``, unset = Locust's own -u/-r),
  ``TILLBENCH_RATE`` (peak/base req/s), ``TILLBENCH_USER_RATE`` (req/s per user),
  ``TILLBENCH_DURATION`` (s), ``TILLBENCH_STEP_RATE``, ``TILLBENCH_STEP_S``,
  ``TILLBENCH_SPIKE_RATE``, ``TILLBENCH_SPIKE_AT``, ``TILLBENCH_SPIKE_S``.
"""

from __future__ import annotations

import base64
import dataclasses
import os
from collections.abc import Mapping

__all__ = ["ADMIN_TOKEN", "API_TOKEN", "LoadSettings"]

ADMIN_TOKEN = "tillbench-admin"
API_TOKEN = "tillbench-token"


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


@dataclasses.dataclass(frozen=True, slots=True)
class LoadSettings:
    """The load test's configuration (see the module docstring for the variables)."""

    pos_url: str = "http://127.0.0.1:8101"
    erp_url: str = "http://127.0.0.1:8102"
    pos_token: str = API_TOKEN
    erp_token: str = API_TOKEN
    admin_token: str = ADMIN_TOKEN
    erp_company: str | None = None
    erp_user: str | None = None
    erp_password: str | None = None
    scenario: str = "demo"
    seed: int | None = None
    shape: str | None = None
    rate: float = 10.0
    user_rate: float = 2.0
    duration_s: float = 60.0
    step_rate: float = 5.0
    step_s: float = 10.0
    spike_rate: float = 50.0
    spike_at_s: float = 10.0
    spike_s: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LoadSettings:
        """Read the ``TILLBENCH_*`` variables of ``env`` (default ``os.environ``)."""
        env = os.environ if env is None else env
        base = cls()
        seed = env.get("TILLBENCH_SEED")
        return cls(
            pos_url=env.get("TILLBENCH_POS_URL", base.pos_url).rstrip("/"),
            erp_url=env.get("TILLBENCH_ERP_URL", base.erp_url).rstrip("/"),
            pos_token=env.get("TILLBENCH_POS_TOKEN", base.pos_token),
            erp_token=env.get("TILLBENCH_ERP_TOKEN", base.erp_token),
            admin_token=env.get("TILLBENCH_ADMIN_TOKEN", base.admin_token),
            erp_company=env.get("TILLBENCH_ERP_COMPANY") or None,
            erp_user=env.get("TILLBENCH_ERP_USER") or None,
            erp_password=env.get("TILLBENCH_ERP_PASSWORD"),
            scenario=env.get("TILLBENCH_SCENARIO", base.scenario),
            seed=int(seed) if seed else None,
            shape=env.get("TILLBENCH_SHAPE") or None,
            rate=_float(env, "TILLBENCH_RATE", base.rate),
            user_rate=_float(env, "TILLBENCH_USER_RATE", base.user_rate),
            duration_s=_float(env, "TILLBENCH_DURATION", base.duration_s),
            step_rate=_float(env, "TILLBENCH_STEP_RATE", base.step_rate),
            step_s=_float(env, "TILLBENCH_STEP_S", base.step_s),
            spike_rate=_float(env, "TILLBENCH_SPIKE_RATE", base.spike_rate),
            spike_at_s=_float(env, "TILLBENCH_SPIKE_AT", base.spike_at_s),
            spike_s=_float(env, "TILLBENCH_SPIKE_S", base.spike_s),
        )

    def erp_authorization(self) -> str:
        """The ERP's ``Authorization`` header: Basic when ``TILLBENCH_ERP_USER`` is set (a
        missing password is an error naming the variable), else Bearer ``erp_token``."""
        if self.erp_user is None:
            return f"Bearer {self.erp_token}"
        if self.erp_password is None:
            raise ValueError(
                "TILLBENCH_ERP_USER is set but TILLBENCH_ERP_PASSWORD is not; set both for "
                "HTTP Basic, or neither for the bearer token TILLBENCH_ERP_TOKEN"
            )
        pair = f"{self.erp_user}:{self.erp_password}".encode()
        return f"Basic {base64.b64encode(pair).decode('ascii')}"
