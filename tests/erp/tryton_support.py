"""Shared by the Tryton tests: a raw login (their scenario is
`benchmarks.tryton_load.bench_scenario`, shared with the connector tests and the benchmark,
so the cached database is too)."""

from __future__ import annotations

from typing import Any

import httpx


def login(url: str, user: str, password: str) -> list[Any]:
    """``common.db.login`` straight over HTTP: [uid, session, …]."""
    answer = httpx.post(
        url + "rpc/",
        json={"id": 1, "method": "common.db.login", "params": [user, {"password": password}, "en"]},
        timeout=30,
    )
    answer.raise_for_status()
    result: list[Any] = answer.json()["result"]
    return result
