"""The simulator's store traffic as an endless stream of request bodies (no Locust import).

`TxnStream` walks `simulator.iter_events` for the scenario and seed (same realism as
``tillbench run``) and starts over when the day is exhausted; every pass and every Locust
process gets its own id tag so transaction ids stay unique across passes and workers
(returns and post-voids keep pointing at their tagged originals).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator
from typing import Any

__all__ = ["Body", "TxnStream", "erp_invoice", "retag"]

_ID_KEYS = ("txn_id", "original_txn_id", "voided_txn_id")


@dataclasses.dataclass(frozen=True, slots=True)
class Body:
    """One POS transaction: its kind, its (tagged) id, the simulator's id and the driver JSON."""

    kind: str
    txn_id: str
    payload: dict[str, Any]
    base_id: str = ""
    """The untagged id, as in the simulator's ``truth/transactions``."""


def retag(payload: dict[str, Any], tag: str) -> dict[str, Any]:
    """``payload`` with every transaction id (also inside lines) suffixed by ``-tag``."""
    if not tag:
        return payload
    out = {k: f"{v}-{tag}" if k in _ID_KEYS and v else v for k, v in payload.items()}
    lines: list[dict[str, Any]] = payload.get("lines") or []
    if lines:
        out["lines"] = [
            {k: f"{v}-{tag}" if k in _ID_KEYS and v else v for k, v in line.items()}
            for line in lines
        ]
    return out


def erp_invoice(payload: dict[str, Any]) -> dict[str, Any]:
    """The Business Central ``salesInvoices`` body (deep insert) of a POS sale payload."""
    return {
        "externalDocumentNumber": payload["txn_id"][:35],
        "customerNumber": payload.get("customer_id") or "RETAIL",
        "salesInvoiceLines": [
            {
                "lineObjectNumber": line["sku"],
                "locationCode": payload["store_id"],
                "quantity": float(line["quantity"]),
            }
            for line in payload["lines"]
            if not line.get("voided")
        ],
    }


class TxnStream:
    """Endless POS transactions of ``scenario`` (a `scenarios.Scenario`), tagged by ``tag``.

    The first pass is simulated lazily and kept (up to ``keep`` events), so later passes
    replay it instead of simulating the day again: simulating blocks the process (a
    Locust worker that blocks for seconds misses its heartbeats). `prime` simulates up to
    the first event ahead of time (Locust's ``init``)."""

    def __init__(
        self, scenario: Any, *, seed: int | None, tag: str = "", keep: int = 500_000
    ) -> None:
        self._scenario = scenario
        self._seed = seed
        self._tag = tag
        self._keep = keep
        self._passes = 0
        self._events: Iterator[Any] = iter(())
        self._kept: list[Any] = []
        self._complete = False
        self._pending: list[Any] = []

    def _new_pass(self) -> Iterator[Any]:
        from simulator import iter_events

        if self._complete:
            return iter(self._kept)
        if self._passes > 1:
            return iter(iter_events(self._scenario, seed=self._seed))
        return self._keeping(iter(iter_events(self._scenario, seed=self._seed)))

    def _keeping(self, events: Iterator[Any]) -> Iterator[Any]:
        for event in events:
            if len(self._kept) < self._keep:
                self._kept.append(event)
            yield event
        self._complete = 0 < len(self._kept) < self._keep

    def _next_event(self) -> Any:
        if self._pending:
            return self._pending.pop()
        for _ in range(2):
            event = next(self._events, None)
            if event is not None:
                return event
            self._passes += 1
            self._events = self._new_pass()
        raise RuntimeError(f"scenario {self._scenario.name!r} generates no transactions")

    def prime(self) -> None:
        """Simulate up to the first event now (it is served by the next `next`) and import
        what turns events into payloads (``tillbench.live`` takes a second or two)."""
        importlib.import_module("tillbench.live.payloads")
        if not self._pending and self._passes == 0:
            self._pending.append(self._next_event())

    def next(self, kinds: tuple[str, ...] | None = None) -> Body:
        """The next transaction (of one of ``kinds`` when given)."""
        from tillbench.live.payloads import transaction_payload

        while True:
            event = self._next_event()
            if kinds is None or event.kind in kinds:
                break
        tag = "-".join(p for p in (self._tag, f"p{self._passes}") if p)
        untagged = transaction_payload(event.kind, event.document, zone=self._scenario.zone)
        payload = retag(untagged, tag)
        return Body(
            kind=event.kind, txn_id=payload["txn_id"], payload=payload, base_id=untagged["txn_id"]
        )
