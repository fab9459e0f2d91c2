"""Durable state: de-duplicated inbox, exclusive claims, recovery after a crash."""

from __future__ import annotations

import threading
from pathlib import Path

from connectors.core.state import NewPosting, StateStore


def posting(n: int) -> NewPosting:
    return NewPosting(key=f"invoice:T{n}", kind="invoice", ext_no=f"T{n}", payload={"n": n})


def test_inbox_drops_duplicate_event_ids(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.enqueue_event("e1", "order.updated", "o1", "{}")
    assert not store.enqueue_event("e1", "order.updated", "o1", "{}")
    assert [e[0] for e in store.pending_events(10)] == ["e1"]
    store.record([], events_done=["e1"])
    assert store.pending_events(10) == []


def test_postings_and_seen_orders_survive_a_new_store(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.record([posting(1), posting(1), posting(2)], seen=["o1"]) == 2
    again = StateStore(tmp_path)
    assert again.unseen(["o1", "o2"]) == {"o2"}
    assert again.counts()["pending"] == 2


def test_concurrent_claims_never_hand_out_a_row_twice(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.record([posting(n) for n in range(200)])
    claimed: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        while rows := store.claim(7):
            with lock:
                claimed.extend(r.key for r in rows)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == 200
    assert len(set(claimed)) == 200


def test_in_flight_rows_come_back_uncertain_after_a_crash(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.record([posting(1), posting(2)])
    (first, _second) = store.claim(2)
    store.posted(first.key, "erp-1")
    restarted = StateStore(tmp_path)
    assert restarted.recover() == 1
    (again,) = restarted.claim(10)
    assert again.key == "invoice:T2"
    assert again.uncertain


def test_transient_dead_letters_are_redriven_permanent_ones_stay(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.record([posting(1), posting(2)])
    one, two = store.claim(2)
    store.dead(one.key, "503 for 8 attempts", transient=True)
    store.dead(two.key, "400 item blocked", transient=False)
    assert store.counts()["dead"] == 2
    assert store.redrive() == 1
    (back,) = store.claim(10)
    assert back.key == one.key
    assert back.attempts == 0
    assert store.counts()["dead_letters"] == 2


def test_cursors_round_trip(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.cursor("orders") is None
    store.set_cursor("orders", "2026-11-23T11:00:00Z")
    store.set_cursor("orders", "2026-11-23T11:05:00Z")
    assert StateStore(tmp_path).cursor("orders") == "2026-11-23T11:05:00Z"


def test_a_retry_is_due_when_the_store_clock_reaches_it(tmp_path: Path) -> None:
    now = [1_000.0]
    store = StateStore(tmp_path, clock=lambda: now[0])
    store.record([posting(1)])
    (row,) = store.claim(1)
    store.retry_later(row.key, delay=30, uncertain=True)
    assert store.claim(1) == []
    now[0] += 29.9
    assert store.claim(1) == []
    now[0] += 0.1
    (again,) = store.claim(1)
    assert (again.key, again.attempts, again.uncertain) == (row.key, 1, True)
