"""Shared by the Tryton tests: the small scenario (the same spec as the connector tests, so
the cached database is shared) and a raw login."""

from __future__ import annotations

from typing import Any

import httpx

import scenarios


def small_scenario() -> Any:
    """The bundled demo scenario shrunk to 2 stores and 20 minutes, without faults."""
    return scenarios.load("demo").with_overrides(
        **{
            "chain.stores": 2,
            "duration": "20m",
            "faults": [],
            "traffic.multiplier": 4.0,
            "data_quality.card_in_notes": 0.0,
        }
    )


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
