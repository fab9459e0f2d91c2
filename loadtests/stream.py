"""The simulator's store traffic as an endless stream of request bodies (no Locust import).

`TxnStream` walks `simulator.iter_events` for the scenario and seed (same realism as
``tillbench run``) and starts over when the day is exhausted; every pass and every Locust
process gets its own id tag so transaction ids stay unique across passes and workers
(returns and post-voids keep pointing at their tagged originals).
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
from collections.abc import Iterator
from typing import Any

__all__ = ["KEEP", "Body", "TxnStream", "erp_invoice", "first_pass", "retag"]

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


KEEP = 500_000
"""Events of the first pass kept in memory and replayed by the later passes."""


def first_pass(scenario: Any, *, seed: int | None, keep: int = KEEP) -> list[Any]:
    """The first ``keep`` events of ``scenario``'s day (all of them for most scenarios),
    and the import that turns them into payloads. Slow (the day is simulated): Locust files
    call it while they are imported, before a worker connects to its master — a worker
    busy for seconds after that misses its heartbeats and the master stops the test."""
    from simulator import iter_events

    importlib.import_module("tillbench.live.payloads")
    return list(itertools.islice(iter_events(scenario, seed=seed), keep))


class TxnStream:
    """Endless POS transactions of ``scenario`` (a `scenarios.Scenario`), tagged by ``tag``.

    The first pass is kept (up to ``keep`` events, or taken from ``first``, see
    `first_pass`) and the later passes replay it instead of simulating the day again;
    a day longer than ``keep`` events is simulated again after its kept head."""

    def __init__(
        self,
        scenario: Any,
        *,
        seed: int | None,
        tag: str = "",
        first: list[Any] | None = None,
        keep: int = KEEP,
    ) -> None:
        self._scenario = scenario
        self._seed = seed
        self._tag = tag
        self._keep = keep
        self._passes = 0
        self._events: Iterator[Any] = iter(())
        self._kept: list[Any] = list(first or ())
        self._complete = first is not None and 0 < len(first) < keep

    def _new_pass(self) -> Iterator[Any]:
        from simulator import iter_events

        if self._complete:
            return iter(self._kept)
        fresh = iter(iter_events(self._scenario, seed=self._seed))
        if self._kept:
            return itertools.chain(self._kept, itertools.islice(fresh, len(self._kept), None))
        return self._keeping(fresh)

    def _keeping(self, events: Iterator[Any]) -> Iterator[Any]:
        for event in events:
            if len(self._kept) < self._keep:
                self._kept.append(event)
            yield event
        self._complete = 0 < len(self._kept) < self._keep

    def _next_event(self) -> Any:
        for _ in range(2):
            event = next(self._events, None)
            if event is not None:
                return event
            self._passes += 1
            self._events = self._new_pass()
        raise RuntimeError(f"scenario {self._scenario.name!r} generates no transactions")

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
