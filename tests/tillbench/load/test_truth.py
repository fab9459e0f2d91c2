"""A load run's truth: the simulator's rows of every transaction the POS accepted, retagged."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import scenarios
from tests.loadtests.support import module
from tillbench.load import LoadError
from tillbench.load.e2e import Accept
from tillbench.load.truth import write_truth

TxnStream = module("stream").TxnStream
ORIGIN = 1_000.0


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Accept]]:
    scenario = scenarios.load("demo")
    stream = TxnStream(scenario, seed=None, tag="w1-42")
    bodies = [stream.next() for _ in range(400)]
    accepts = [
        Accept(txn_id=b.txn_id, wall=ORIGIN + 0.5 * i, base_id=b.base_id, kind=b.kind)
        for i, b in enumerate(bodies)
        if i % 7
    ]
    run_dir = tmp_path_factory.mktemp("truth")
    counts = write_truth(run_dir, scenario=scenario, seed=None, accepts=accepts, wall_origin=ORIGIN)
    assert counts["truth/transactions"] == len(accepts)
    return run_dir, accepts


def test_every_accepted_transaction_once_at_its_acceptance_time(
    truth: tuple[Path, list[Accept]],
) -> None:
    run_dir, accepts = truth
    table = pq.read_table(run_dir / "truth" / "transactions.parquet").to_pylist()
    assert [r["txn_id"] for r in table] == [a.txn_id for a in accepts]
    assert [r["kind"] for r in table] == [a.kind for a in accepts]
    assert [r["t"] for r in table] == pytest.approx([a.wall - ORIGIN for a in accepts])
    assert {a.txn_id.rsplit("-", 1)[1] for a in accepts} == {"p1", "p2"}


def test_lines_and_tenders_follow_their_transaction_and_originals_are_retagged(
    truth: tuple[Path, list[Accept]],
) -> None:
    run_dir, accepts = truth
    transactions = pq.read_table(run_dir / "truth" / "transactions.parquet").to_pylist()
    lines = pq.read_table(run_dir / "truth" / "lines.parquet").to_pylist()
    ids = {a.txn_id for a in accepts}
    per_txn: dict[str, int] = {}
    for line in lines:
        assert line["txn_id"] in ids
        per_txn[line["txn_id"]] = per_txn.get(line["txn_id"], 0) + 1
    assert all(per_txn.get(t["txn_id"], 0) == t["lines"] for t in transactions)
    originals = [r for r in transactions if r["original_txn_id"]]
    assert originals, "the demo day has returns or post-voids"
    for row in originals:
        assert row["original_txn_id"].endswith(row["txn_id"][row["txn_id"].index("-w1-42-") :])
    tenders = pq.read_table(run_dir / "truth" / "tenders.parquet").column("txn_id").to_pylist()
    assert set(tenders) <= ids
    assert (run_dir / "truth" / "catalog.parquet").is_file()


def test_an_acceptance_without_its_simulator_id_is_refused(tmp_path: Path) -> None:
    accept = Accept(txn_id="S1-K1-000001-l9-p1", wall=ORIGIN, base_id="", kind="sale")
    with pytest.raises(LoadError, match=r"'S1-K1-000001-l9-p1' does not extend its simulator id"):
        write_truth(
            tmp_path, scenario=scenarios.load("demo"), seed=None, accepts=[accept], wall_origin=0
        )
