"""Choose the ERP backend named by ``TILLBENCH_ERP_KIND`` and open it."""

from __future__ import annotations

import random
import threading

from connectors.common.backend import ErpBackend
from connectors.common.bc_backend import BcBackend
from connectors.common.config import ContractEnv
from connectors.common.erp import ErpClient
from connectors.common.http import HttpApi
from connectors.common.metrics import Metrics
from connectors.common.tryton_backend import TrytonBackend

TRYTON_MIN_TIMEOUT = 120.0
"""Seconds: the shortest wait for a Tryton answer. Giving up early only turns commits into
lookups: a batch is one create → process → post, and Tryton is slow (REFERENCE: "Tryton
8.2 as a real ERP", 10–13 sales/s batched) and slower while other writers hold locks."""
TRYTON_SECONDS_PER_SALE = 1.0
"""Seconds of timeout per sale of a batch: Tryton posted about 11 sale lines/s on 2 busy
cores (measured: 50 sales of 292 lines in 27 s), and a POS sale has about 6 lines."""


def open_backend(
    env: ContractEnv, *, metrics: Metrics, stop: threading.Event, rng: random.Random
) -> tuple[ErpBackend, ErpClient | None]:
    """The backend for ``env.erp_kind``, and the Business Central client when the ERP is one
    (the ERP → POS sync and the absolute-stock planted bug speak its API directly)."""
    integration = env.integration
    if env.erp_kind == "tryton":
        user, password = env.erp_login
        backend = TrytonBackend.connect(
            f"{env.erp_url}/",
            user=user,
            password=password,
            timeout=max(
                integration.request_timeout,
                TRYTON_MIN_TIMEOUT,
                integration.max_batch * TRYTON_SECONDS_PER_SALE,
            ),
            rng=rng,
        )
        return backend, None
    api = HttpApi(
        env.erp_url,
        env.erp_token,
        name="erp",
        policy=integration.retry,
        timeout=integration.request_timeout,
        rng=rng,
        metrics=metrics,
        stop=stop,
        pool=integration.workers + 2,
    )
    erp = ErpClient(api, env.erp_company)
    return BcBackend(erp, metrics), erp
