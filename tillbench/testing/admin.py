"""Typed helpers over a mock's admin API (``/admin``, the admin token), the same for
every dialect: faults, the request journal, the clock, health, seeding and the state the
engines expose (the POS's webhook deliveries and outbox).

Example::

    admin = ErpAdmin("http://127.0.0.1:8102", token="tillbench-admin")
    fault = admin.faults.add({"kind": "outage", "target": "erp", "for": 30})
    admin.journal.rows(credential="connector", status=503)
    admin.faults.remove(fault.id)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from domain.clock import RunClock
from tillbench.testing.errors import AdminError

__all__ = [
    "ActiveFault",
    "Admin",
    "ClockAdmin",
    "ErpAdmin",
    "FaultsAdmin",
    "JournalAdmin",
    "JournalRow",
    "PosAdmin",
]

_PAGE = 10_000


def _check(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code >= 300:
        raise AdminError(what, response.status_code, response.text)
    return response


@dataclasses.dataclass(frozen=True, slots=True)
class ActiveFault:
    """A fault the mock knows: its id, what it does and its wall window (epoch seconds)."""

    id: str
    kind: str
    target: str
    start: float
    end: float | None
    """None: open-ended (until removed)."""
    source: str
    """``runtime`` (the admin API) or ``timeline`` (the scenario's)."""
    spec: dict[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ActiveFault:
        spec = dict(data.get("spec") or {})
        end = data.get("end")
        return cls(
            id=str(data["id"]),
            kind=str(spec.get("kind", "")),
            target=str(spec.get("target", "*")),
            start=float(data["start"]),
            end=None if end is None else float(end),
            source=str(data.get("source", "runtime")),
            spec=spec,
        )

    def active_at(self, wall: float) -> bool:
        return self.start <= wall and (self.end is None or wall < self.end)


@dataclasses.dataclass(frozen=True, slots=True)
class JournalRow:
    """One API request as the mock journaled it (``status`` 0: reset or hung up)."""

    id: int
    ts: float
    """Wall time it arrived (epoch seconds)."""
    credential: str | None
    """The principal of its bearer token: ``connector`` or ``harness`` in a fixture."""
    method: str
    path: str
    query: str | None
    status: int
    latency_ms: float | None
    ref: str | None
    """The reference the dialect recorded (an external document number, an order's
    reference id), when it recorded one."""
    document_id: str | None
    fault: str | None
    """The injected fault that shaped the answer, e.g. ``outage:3fa1…``."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JournalRow:
        ts = data.get("ts")
        if isinstance(ts, str):
            ts = datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
        return cls(
            id=int(data["id"]),
            ts=float(ts or 0.0),
            credential=data.get("credential"),
            method=str(data.get("method", "")),
            path=str(data.get("path", "")),
            query=data.get("query"),
            status=int(data.get("status") or 0),
            latency_ms=data.get("latency_ms"),
            ref=data.get("ref"),
            document_id=data.get("document_id"),
            fault=data.get("fault"),
        )


class FaultsAdmin:
    """``/admin/faults``: start, list and stop faults (``for`` counts wall seconds)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def add(self, spec: Mapping[str, Any]) -> ActiveFault:
        """Start a fault now; ``spec`` is a scenario fault entry (``kind``, ``target``,
        ``for``, ``rate``, ``status``, ``mode``, ``latency``, ``delay``, ``phase``, ``paths``)."""
        answer = _check(self._client.post("/admin/faults", json=dict(spec)), "POST /admin/faults")
        return ActiveFault.from_json(answer.json())

    def all(self) -> list[ActiveFault]:
        """Every fault the mock knows (the scenario's timeline and the runtime ones)."""
        body = _check(self._client.get("/admin/faults"), "GET /admin/faults").json()
        return [ActiveFault.from_json(f) for f in body.get("scheduled") or []]

    def active(self) -> list[ActiveFault]:
        """The faults in force now."""
        body = _check(self._client.get("/admin/faults"), "GET /admin/faults").json()
        return [ActiveFault.from_json(f) for f in body.get("active") or []]

    def remove(self, fault_id: str) -> bool:
        """Stop one runtime fault; False when the mock does not know it."""
        answer = self._client.delete(f"/admin/faults/{fault_id}")
        if answer.status_code == 404:
            return False
        _check(answer, f"DELETE /admin/faults/{fault_id}")
        return True

    def clear(self) -> None:
        """Stop every runtime fault (the scenario's timeline stays)."""
        _check(self._client.delete("/admin/faults"), "DELETE /admin/faults")


class JournalAdmin:
    """``/admin/journal``: every API request the mock answered, oldest first."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def rows(
        self,
        *,
        since_id: int = 0,
        method: str | None = None,
        path_prefix: str | None = None,
        status: int | None = None,
        credential: str | None = None,
    ) -> list[JournalRow]:
        """Every row after ``since_id`` matching the filters (all pages)."""
        params: dict[str, Any] = {
            key: value
            for key, value in {
                "method": method,
                "path_prefix": path_prefix,
                "status": status,
                "credential": credential,
            }.items()
            if value is not None
        }
        out: list[JournalRow] = []
        while True:
            answer = self._client.get(
                "/admin/journal", params={**params, "since_id": since_id, "limit": _PAGE}
            )
            page = _check(answer, "GET /admin/journal").json()
            rows = page.get("rows") or []
            out.extend(JournalRow.from_json(r) for r in rows)
            if len(rows) < _PAGE:
                return out
            since_id = int(page["next_since_id"])

    def wait_for(
        self,
        *,
        count: int = 1,
        within: float = 10.0,
        method: str | None = None,
        path_prefix: str | None = None,
        status: int | None = None,
        credential: str | None = None,
    ) -> list[JournalRow]:
        """Wait until at least ``count`` requests match the filters; those rows.
        `AssertionError` naming the filters (and what did arrive) when time runs out."""
        __tracebackhide__ = True
        filters = {
            "method": method,
            "path_prefix": path_prefix,
            "status": status,
            "credential": credential,
        }
        deadline = time.monotonic() + within
        while True:
            found = self.rows(**filters)  # type: ignore[arg-type]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                asked = ", ".join(f"{k}={v!r}" for k, v in filters.items() if v is not None)
                seen = self.rows(credential=credential) if credential else self.rows()
                raise AssertionError(
                    f"{len(found)} of {count} requests with {asked or 'any request'} "
                    f"within {within:g} s ({len(seen)} requests journaled in all)"
                )
            time.sleep(0.1)

    def clear(self) -> None:
        """Delete every row."""
        _check(self._client.delete("/admin/journal"), "DELETE /admin/journal")


class ClockAdmin:
    """``/admin/clock``: where the scenario's simulated time stands against the wall."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def get(self) -> RunClock:
        """The mock's clock now (``RunClock``: ``t_at(wall)``, ``now_t()``, ``speed``)."""
        body = _check(self._client.get("/admin/faults"), "GET /admin/faults").json()
        return _clock(body["clock"])

    def set(self, *, start: datetime, speed: float, wall_origin: float | None = None) -> RunClock:
        """Re-anchor: simulated ``start`` at ``wall_origin`` (default now), ``speed``
        simulated seconds per wall second; the scenario's fault timeline moves with it."""
        body: dict[str, Any] = {"start": start.isoformat(), "speed": speed}
        if wall_origin is not None:
            body["wall_origin"] = wall_origin
        answer = _check(self._client.put("/admin/clock", json=body), "PUT /admin/clock")
        return _clock(answer.json())


def _clock(data: Mapping[str, Any]) -> RunClock:
    start = data.get("start")
    return RunClock(
        wall_origin=float(data["wall_origin"]),
        speed=float(data["speed"]),
        start=None if start is None else datetime.fromisoformat(start),
    )


class Admin:
    """A mock's admin API: `faults`, `journal`, `clock` and `health`."""

    def __init__(self, base_url: str, *, token: str, timeout: float = 60.0) -> None:
        self.base_url = base_url
        self._client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )
        self.faults = FaultsAdmin(self._client)
        self.journal = JournalAdmin(self._client)
        self.clock = ClockAdmin(self._client)

    def health(self) -> dict[str, Any]:
        """``/admin/health``: status, which mock, which database."""
        return dict(_check(self._client.get("/admin/health"), "GET /admin/health").json())

    def close(self) -> None:
        self._client.close()


class PosAdmin(Admin):
    """The POS engine's doors besides: the driver's ingestion (seeding stock, ringing
    transactions) and the webhook delivery state."""

    def ingest(self, transactions: Sequence[Mapping[str, Any]], *, chunk: int = 200) -> int:
        """Ring ``transactions`` (driver JSON) at the POS's registers
        (``/driver/v1/transactions``); how many were new (a replay is recognised)."""
        created = 0
        items = list(transactions)
        for start in range(0, len(items), chunk):
            answer = self._client.post(
                "/driver/v1/transactions", json={"transactions": items[start : start + chunk]}
            )
            created += int(_check(answer, "POST /driver/v1/transactions").json()["created"])
        return created

    def inventory(self, counts: Sequence[Mapping[str, Any]]) -> None:
        """Record physical counts (``/driver/v1/inventory``: store_id, sku, quantity,
        occurred_at; unknown SKUs and stores are created)."""
        answer = self._client.post("/driver/v1/inventory", json={"counts": list(counts)})
        _check(answer, "POST /driver/v1/inventory")

    def deliveries(self, *, since_id: int = 0) -> list[dict[str, Any]]:
        """Webhook delivery attempts (event, subscription, outcome, status, latency)."""
        out: list[dict[str, Any]] = []
        while True:
            answer = self._client.get(
                "/admin/pos/webhooks/deliveries", params={"since_id": since_id, "limit": _PAGE}
            )
            page = _check(answer, "GET /admin/pos/webhooks/deliveries").json()
            rows = page.get("rows") or []
            out.extend(rows)
            if len(rows) < _PAGE:
                return out
            since_id = int(page["next_since_id"])

    def outbox(self) -> dict[str, int]:
        """How many webhook deliveries are pending, delivered, failed, dropped, cancelled."""
        answer = _check(self._client.get("/admin/pos/webhooks/outbox"), "GET outbox")
        return dict(answer.json()["outbox"])


class ErpAdmin(Admin):
    """The ERP engine's seeding door besides."""

    def catalog(
        self,
        *,
        items: Sequence[Mapping[str, Any]] = (),
        locations: Sequence[Mapping[str, Any]] = (),
        customers: Sequence[Mapping[str, Any]] = (),
        stock: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """Insert or update items, locations and customers, set stock (absolute levels)
        (``/admin/erp/catalog``)."""
        body = {
            "items": list(items),
            "locations": list(locations),
            "customers": list(customers),
            "stock": list(stock),
        }
        answer = self._client.post("/admin/erp/catalog", json=body)
        return dict(_check(answer, "POST /admin/erp/catalog").json())
