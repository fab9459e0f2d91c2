"""`ErpAdapter` for Tryton's point of sale over JSON-RPC (``TILLBENCH_ERP_KIND=tryton``):
`connectors.erp.tryton.client` is the transport, `connectors.erp.tryton.poster` posts,
`connectors.erp.tryton.mapping` makes the payloads.

Sales and returns become ``sale.point.sale`` records (create → process → post; a batch is
one create for all of them), POS stock changes become done ``stock.move`` records; both
carry ``pos_reference`` = the outbox's external document number, unique in Tryton, which
is what lookups search.

Failures: Tryton's lock errors (503) are retried inside `TrytonRpc`; what still fails
reaches the posting machinery as `Transient` (503: rolled back, nothing applied; no answer
or another 5xx: the outcome is unknown, so the posting is looked up before it is sent
again). A unique-constraint refusal (409) is confirmed by lookup. A user error (400) is a
dead letter; unknown SKUs and stores are caught before sending, with a message naming them,
and a refused batch is split into single sales so one bad sale does not hold back others.
Only a sale in state ``posted`` counts as done: one Tryton holds but left open or processed
(a lock error between create, process and post) comes back after a backoff, and
``post_sales`` finishes it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosDocument, StockChange
from connectors.core.errors import ConfigError
from connectors.core.http import Transient
from connectors.core.state import Posting
from connectors.erp import RETRY_AGAIN, Answer, ErpAdapter, Lookups
from connectors.erp.tryton import mapping
from connectors.erp.tryton.client import TrytonError, TrytonRpc
from connectors.erp.tryton.mapping import pos_sale, stock_move
from connectors.erp.tryton.poster import Posted, TrytonPos

log = logging.getLogger("connector.tryton")

MIN_TIMEOUT = 120.0
"""Seconds: the shortest wait for a Tryton answer. Giving up early only turns commits into
lookups: a batch is one create → process → post, and Tryton is slow (REFERENCE: "Tryton
8.2 as a real ERP", 10–13 sales/s batched) and slower while other writers hold locks."""
SECONDS_PER_SALE = 1.0
"""Seconds of timeout per sale of a batch: Tryton posted about 11 sale lines/s on 2 busy
cores (measured: 50 sales of 292 lines in 27 s), and a POS sale has about 6 lines."""

T = TypeVar("T")
JOURNAL = "journal"
POSTED = "posted"


def _state_answer(sale: Posted) -> Answer:
    """Posted: done. Held but open or processed only: come back later (the next
    ``post_sales`` finishes it)."""
    if sale.state == POSTED:
        return Answer(201, str(sale.id))
    return Answer(503, detail=f"sale {sale.reference} is {sale.state} in Tryton, not posted yet")


def transient(error: TrytonError) -> Transient:
    """The `Transient` of a Tryton failure worth retrying (503, 429: nothing applied)."""
    return Transient(error.status, error.status not in (429, 503), None, f"Tryton: {error.message}")


def refusal(error: TrytonError) -> bool:
    """A 4xx other than 408/429: Tryton answered and will not take it as sent."""
    return 400 <= error.status < 500 and error.status not in (408, 429)


class TrytonAdapter:
    """Tryton behind the connector. No ERP → POS sync (``catalogue`` is None) and no
    hybrid mode: a sale and the stock moves reversing real-time stock cannot commit in
    one transaction."""

    name = "tryton"
    catalogue = None
    atomic_reversals = False

    def __init__(self, rpc: TrytonRpc, *, pos: TrytonPos | None = None) -> None:
        self.rpc = rpc
        self._pos = pos
        self._lock = threading.Lock()

    @classmethod
    def connect(
        cls, url: str, *, user: str, password: str, timeout: float, rng: random.Random
    ) -> TrytonAdapter:
        """An adapter for the database at ``url`` (``http://HOST:PORT/DBNAME/``); nothing is
        sent before the first posting."""
        return cls(TrytonRpc(url, user=user, password=password, timeout=timeout, rng=rng))

    def map_document(self, document: PosDocument) -> dict[str, Any]:
        """A POS sale payload."""
        return mapping.map_document(document)

    def stock_payload(self, changes: Sequence[StockChange]) -> dict[str, Any]:
        """A stock move payload (one change)."""
        return mapping.stock_payload(changes)

    def _call(self, action: Callable[[TrytonPos], T]) -> T:
        """Run ``action`` on the (lazily opened) `TrytonPos`; failures other than refusals
        become `Transient`."""
        try:
            with self._lock:
                if self._pos is None:
                    self._pos = TrytonPos(self.rpc)
                pos = self._pos
            return action(pos)
        except TrytonError as error:
            if refusal(error):
                raise
            raise transient(error) from None

    def _unknown(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """Postings naming a store or SKU Tryton does not have, with a message naming it."""

        def names(posting: Posting) -> tuple[str, set[str]]:
            if posting.kind == JOURNAL:
                return str(posting.payload["store_id"]), {str(posting.payload["sku"])}
            payload = posting.payload
            return str(payload["store_id"]), {str(line["sku"]) for line in payload["lines"]}

        wanted = [names(p) for p in postings]
        stores, skus = self._call(lambda pos: (set(pos.store_ids()), set(pos.skus())))
        refused: dict[str, Answer] = {}
        for posting, (store, skus_used) in zip(postings, wanted, strict=True):
            if store not in stores:
                refused[posting.key] = Answer(
                    400,
                    detail=f"store {store!r} has no sale point in Tryton; "
                    "initialise the database from the same scenario",
                )
            elif missing := sorted(skus_used - skus):
                refused[posting.key] = Answer(
                    400,
                    detail=f"SKU {missing[0]!r} (store {store!r}) is not a "
                    "product code in Tryton; initialise the database from the same scenario",
                )
        return refused

    def find(self, posting: Posting) -> str | None:
        """The Tryton id of the sale or stock move with this reference, if any."""
        found = self.find_many([posting])
        if posting.key in found.found:
            return found.found[posting.key]
        return None

    def create(self, posting: Posting) -> Answer:
        """Post one sale (create → process → post) or one stock move. A collision (409) is
        settled here by a lookup: posted, or back later (the Poster dead-letters a 409 that
        its own lookup cannot confirm, which suits Business Central but not a sale Tryton
        holds unfinished)."""
        answer = self.create_many([posting])[posting.key]
        if answer.status != 409:
            return answer
        if posting.kind == JOURNAL:
            found = self.find(posting)
            return Answer(201, found) if found is not None else Answer(503, detail="collided")
        held = self._held(posting)
        return _state_answer(held) if held else Answer(503, detail="collided; sent again")

    def _held(self, posting: Posting) -> Posted | None:
        try:
            return self._call(lambda pos: pos.find([posting.ext_no])).get(posting.ext_no)
        except TrytonError as error:
            raise Transient(error.status, True, None, f"Tryton lookup: {error.message}") from None

    def find_many(self, postings: Sequence[Posting]) -> Lookups:
        """One search for the sales, one for the stock moves."""
        sales = [p.ext_no for p in postings if p.kind != JOURNAL]
        moves = [p.ext_no for p in postings if p.kind == JOURNAL]
        posted: dict[str, str] = {}
        try:
            if sales:
                found = self._call(lambda pos: pos.find(sales))
                posted.update({r: str(s.id) for r, s in found.items() if s.state == POSTED})
            if moves:
                done = self._call(lambda pos: pos.find_moves(moves))
                posted.update({f"{JOURNAL}:{r}": str(i) for r, i in done.items()})
        except TrytonError as error:
            raise Transient(error.status, True, None, f"Tryton lookup: {error.message}") from None
        lookups = Lookups()
        for posting in postings:
            ref = posting.ext_no if posting.kind != JOURNAL else f"{JOURNAL}:{posting.ext_no}"
            if ref in posted:
                lookups.found[posting.key] = posted[ref]
            else:
                lookups.absent.add(posting.key)
        return lookups

    def create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """The sales in one ``post_sales`` call, the stock moves in one ``move_stock`` call."""
        try:
            return self._create_many(postings)
        except TrytonError as error:
            raise Transient(error.status, True, None, f"Tryton: {error.message}") from None

    def _create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        answers = self._unknown(postings)
        for posting in postings:
            if posting.kind == JOURNAL and not Decimal(str(posting.payload["quantity"])):
                answers.setdefault(posting.key, Answer(201, ""))
        todo = [p for p in postings if p.key not in answers]
        sales = [p for p in todo if p.kind != JOURNAL]
        moves = [p for p in todo if p.kind == JOURNAL]
        if sales:
            answers.update(self._post(sales, self._post_sales))
        if moves:
            try:
                answers.update(self._post(moves, self._move_stock))
            except Transient as failure:
                if not sales:
                    raise
                status = 409 if failure.applied_unknown else RETRY_AGAIN
                answers.update({p.key: Answer(status) for p in moves})
        return answers

    def _post(
        self, postings: Sequence[Posting], send: Callable[[Sequence[Posting]], dict[str, Answer]]
    ) -> dict[str, Answer]:
        try:
            by_reference = send(postings)
        except TrytonError as error:
            if error.status == 409:
                return {p.key: Answer(409) for p in postings}
            if len(postings) > 1:
                log.warning(
                    "Tryton refused a batch of %d (%s); sending one by one",
                    len(postings),
                    error.message[:200],
                )
                singles: dict[str, Answer] = {}
                for posting in postings:
                    singles.update(self._post([posting], send))
                return singles
            return {postings[0].key: self._refused(postings[0], error)}
        return {p.key: by_reference.get(p.ext_no, Answer(409)) for p in postings}

    def _refused(self, posting: Posting, error: TrytonError) -> Answer:
        """A refused single posting: a dead letter, unless Tryton holds the sale already
        but has not finished it (a concurrent writer got in between): then it comes back."""
        detail = f"Tryton refused it ({error.status}): {error.message}"[:2000]
        if posting.kind != JOURNAL:
            held = self._held(posting)
            if held is not None:
                return _state_answer(held)
        return Answer(error.status, detail=detail)

    def _post_sales(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        sales = [pos_sale(p.payload) for p in postings]
        started = time.monotonic()
        posted = self._call(lambda pos: pos.post_sales(sales))
        log.info(
            "Tryton posted %d sales (%d lines) in %.2f s",
            len(sales),
            sum(len(sale.lines) for sale in sales),
            time.monotonic() - started,
        )
        return {ref: _state_answer(sale) for ref, sale in posted.items()}

    def _move_stock(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        moves = [stock_move(p.ext_no, p.payload) for p in postings]
        done = self._call(lambda pos: pos.move_stock(moves))
        return {ref: Answer(201, str(move_id)) for ref, move_id in done.items()}

    def stats(self) -> dict[str, int]:
        """`TrytonRpc.stats`: calls, 503 lock errors and retries of them."""
        snapshot = self.rpc.stats()
        return {
            "erp_calls": snapshot.calls,
            "erp_status_503": snapshot.status_503,
            "erp_retries": snapshot.retries,
        }

    def close(self) -> None:
        """Close the JSON-RPC session."""
        self.rpc.close()


def login(token: str) -> tuple[str, str]:
    """Tryton's user and password from ``TILLBENCH_ERP_TOKEN`` (``USER:PASSWORD``; the
    password may hold colons)."""
    user, sep, password = token.partition(":")
    if not (sep and user.strip() and password):
        raise ConfigError(
            "TILLBENCH_ERP_TOKEN", "<hidden>", "must be USER:PASSWORD of the Tryton login"
        )
    return user, password


def create(context: AdapterContext) -> ErpAdapter:
    """The adapter for the contract's environment (the factory `connectors.erp.ADAPTERS`
    names): ``TILLBENCH_ERP_URL`` is the database URL, ``TILLBENCH_ERP_TOKEN`` the login."""
    env = context.env
    integration = env.integration
    user, password = login(env.erp_token)
    return TrytonAdapter.connect(
        f"{env.erp_url}/",
        user=user,
        password=password,
        timeout=max(
            integration.request_timeout,
            MIN_TIMEOUT,
            integration.max_batch * SECONDS_PER_SALE,
        ),
        rng=random.Random(context.rng.random()),
    )
