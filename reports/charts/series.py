"""Series the charts draw, derived from a run directory with vectorised pandas/numpy.

`RunData` computes each series once, on first use, and returns None when the tables it
needs are absent; `RunData.missing` says which table that was, for the report to show.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from reports._derive import Shown, shown_verdict
from reports._rundir import RunDir
from reports._serde import finite
from reports._verdict import Verdict

__all__ = ["NICE_BINS", "RunData", "bin_width"]

NICE_BINS = (1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0)


def bin_width(span_s: float, *, target: int = 120) -> float:
    """The smallest nice bin (seconds) giving at most ``target`` bins over ``span_s``."""
    for width in NICE_BINS:
        if span_s / width <= target:
            return width
    return 86_400.0


class RunData:
    """Derived series of one run (all times in simulated seconds since the start)."""

    def __init__(self, run: RunDir, *, strict: bool = True, verdict: Verdict | None = None) -> None:
        self.run = run
        self.strict = strict
        """Whether a run whose verdict cannot be re-derived is an error (`shown`)."""
        self.verdict = verdict
        """A verdict the caller has just judged from these tables (not judged again)."""
        self.missing: dict[str, str] = {}

    @cached_property
    def shown(self) -> Shown:
        """The verdict to show, re-derived from the tables (`reports._derive`)."""
        if self.verdict is not None:
            return Shown(finite(self.verdict.to_dict()))
        return shown_verdict(self.run, strict=self.strict)

    @property
    def speed(self) -> float:
        """Simulated seconds per wall second; 1 without a wall clock (a simulation)."""
        return self.run.speed or 1.0

    def _need(self, key: str, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        frame = self.run.frame(name, columns)
        if frame is None:
            self.missing[key] = f"{name}.parquet is absent"
        elif columns is not None and not set(columns) <= set(frame.columns):
            lacking = ", ".join(sorted(set(columns) - set(frame.columns)))
            self.missing[key] = f"{name}.parquet has no column {lacking}"
            return None
        return frame

    @cached_property
    def transactions(self) -> pd.DataFrame | None:
        frame = self._need(
            "transactions", "truth/transactions", ["txn_id", "kind", "store_id", "t"]
        )
        if frame is not None:
            frame["kind"] = frame["kind"].astype(str)
            frame["store_id"] = frame["store_id"].astype(str)
        return frame

    @cached_property
    def span(self) -> float:
        """Seconds from the start to the end of traffic (or of the last event seen)."""
        end = self.run.meta.quiesce_end_t or self.run.meta.traffic_end_t
        if end:
            return end
        txns = self.transactions
        if txns is not None and len(txns):
            return float(txns["t"].max())
        return 3600.0

    @cached_property
    def bin_s(self) -> float:
        return bin_width(self.span)

    @cached_property
    def faults(self) -> pd.DataFrame:
        frame = self.run.frame("faults", ["id", "target", "kind", "start_t", "end_t"])
        if frame is None:
            return pd.DataFrame(columns=["id", "target", "kind", "start_t", "end_t"])
        return frame.dropna(subset=["start_t", "end_t"])

    @cached_property
    def exits(self) -> list[tuple[float, str]]:
        """Unexpected exits of the connector with a time (run.json ``connector_exits``), as
        (t, label) for the charts."""
        return [
            (found.t, f"connector exit ({'restarted' if found.restarted else 'not restarted'})")
            for found in self.run.meta.exits()
            if found.t is not None
        ]

    @cached_property
    def latency(self) -> pd.DataFrame | None:
        """One row per truth document the ERP holds: completion t, first commit, latency."""
        txns = self.transactions
        docs = self._need(
            "latency", "erp/documents", ["external_document_number", "committed_t", "kind"]
        )
        if txns is None or docs is None:
            if txns is None:
                self.missing["latency"] = self.missing["transactions"]
            return None
        docs = docs.dropna(subset=["committed_t"])
        numbers = pd.concat(
            [txns["txn_id"].astype(str), docs["external_document_number"].astype(str)],
            ignore_index=True,
        )
        codes, uniques = pd.factorize(numbers)
        first = np.full(len(uniques), np.inf)
        np.minimum.at(first, codes[len(txns) :], docs["committed_t"].to_numpy(dtype="float64"))
        committed = first[codes[: len(txns)]]
        found = np.isfinite(committed)
        merged: pd.DataFrame = txns.loc[found].reset_index(drop=True)
        merged["committed_t"] = committed[found]
        merged["latency_s"] = merged["committed_t"] - merged["t"]
        return merged.sort_values("t", kind="stable").reset_index(drop=True)

    @cached_property
    def latency_bands(self) -> pd.DataFrame | None:
        lat = self.latency
        if lat is None or lat.empty:
            return None
        binned = (lat["t"] // self.bin_s) * self.bin_s
        grouped = lat.groupby(binned)["latency_s"]
        bands = grouped.quantile(np.array([0.5, 0.95, 0.99])).unstack()
        bands.columns = pd.Index(["p50", "p95", "p99"])
        bands["n"] = grouped.size()
        return bands.reset_index(names="t")

    @cached_property
    def journal(self) -> pd.DataFrame | None:
        journal = self.run.journal("erp/journal")
        if journal is None:
            self.missing["journal"] = "erp/journal.parquet is absent"
        elif journal.empty:
            self.missing["journal"] = "erp/journal.parquet is empty (a real ERP)"
            return None
        return journal

    def _rate(self, t: pd.Series) -> pd.Series:
        counts = (t // self.bin_s * self.bin_s).value_counts().sort_index()
        return counts / self.bin_s

    @cached_property
    def rates(self) -> pd.DataFrame | None:
        """Events per simulated second, per bin: POS sales, ERP posts, errors, 429s."""
        series: dict[str, pd.Series] = {}
        txns = self.transactions
        if txns is not None:
            series["POS sales/s"] = self._rate(txns.loc[txns["kind"] == "sale", "t"])
        journal = self.journal
        if journal is not None:
            status = journal["status"].astype("int64")
            post = journal["method"].astype(str).eq("POST") if "method" in journal else True
            series["ERP posts/s"] = self._rate(journal.loc[post & status.between(200, 299), "t"])
            series["errors/s"] = self._rate(journal.loc[(status >= 500) | (status == 0), "t"])
            series["429s/s"] = self._rate(journal.loc[status == 429, "t"])
        if not series:
            return None
        frame = pd.DataFrame(series).fillna(0.0).sort_index()
        return frame.reset_index(names="t")

    @cached_property
    def concurrency(self) -> pd.DataFrame | None:
        """ERP requests in flight: the maximum and the mean over each bin."""
        journal = self.journal
        if journal is None or "latency_ms" not in journal:
            return None
        start = journal["t"].to_numpy(dtype="float64")
        end = start + journal["latency_ms"].to_numpy(dtype="float64") / 1000.0 * self.speed
        times = np.concatenate([start, end])
        steps = np.concatenate([np.ones(start.size), -np.ones(end.size)])
        order = np.lexsort((steps, times))
        level = np.cumsum(steps[order])
        frame = pd.DataFrame({"t": times[order], "in_flight": level})
        frame = frame[np.isfinite(frame["t"])]
        binned = frame.groupby(frame["t"] // self.bin_s * self.bin_s)["in_flight"]
        return pd.DataFrame({"max": binned.max(), "mean": binned.mean()}).reset_index(names="t")

    @cached_property
    def backlog(self) -> tuple[pd.DataFrame, str] | None:
        """Connector backlog over time and where it came from (its metrics, or derived)."""
        frame = self.run.frame("samples/connector", ["t", "backlog", "dead_letters"])
        if frame is not None and "backlog" in frame and not frame.empty:
            return frame.sort_values("t"), "connector /metrics samples"
        lat = self.latency
        txns = self.transactions
        if lat is None or txns is None:
            self.missing["backlog"] = "samples/connector.parquet and erp/documents are absent"
            return None
        due = np.sort(txns.loc[txns["kind"] != "cancel", "t"].to_numpy())
        done = np.sort(lat["committed_t"].to_numpy())
        grid = np.arange(0.0, max(self.span, float(done.max(initial=0.0))) + self.bin_s, self.bin_s)
        backlog = np.searchsorted(due, grid, "right") - np.searchsorted(done, grid, "right")
        derived = pd.DataFrame({"t": grid, "backlog": backlog})
        return derived, "derived: POS documents completed minus first ERP commits"

    @cached_property
    def stock(self) -> pd.DataFrame | None:
        frame = self._need("stock", "samples/stock", ["t", "store_id", "sku", "pos_qty", "erp_qty"])
        if frame is None:
            return None
        frame["drift"] = frame["erp_qty"] - frame["pos_qty"]
        return frame

    @cached_property
    def pairs(self) -> int | None:
        """Store × SKU pairs of the run (rows of ``truth/stock_final``)."""
        return self.run.rows("truth/stock_final")

    @cached_property
    def drift(self) -> pd.DataFrame | None:
        """Integration drift per sample round: Σ|ERP − POS| units, share of pairs off, max.

        From ``samples/drift`` (every pair, aggregated) when the producer wrote it, else
        from the per-pair ``samples/stock``. ``oversell`` only when the producer measured it.
        """
        aggregated = self.run.frame("samples/drift")
        if aggregated is not None and {"t", "abs_units", "pairs_off"} <= set(aggregated):
            pairs = self.pairs
            frame = pd.DataFrame(
                {
                    "t": aggregated["t"].astype("float64"),
                    "units": aggregated["abs_units"].astype("float64"),
                    "share_off": aggregated["pairs_off"] / pairs if pairs else np.nan,
                    "max": aggregated.get("max_abs", np.nan),
                }
            )
            if "oversell_units" in aggregated:
                frame["oversell"] = aggregated["oversell_units"].astype("float64")
            return frame.sort_values("t").reset_index(drop=True)
        stock = self.stock
        if stock is None or stock.empty:
            return None
        absolute = stock["drift"].abs()
        grouped = absolute.groupby(stock["t"])
        return pd.DataFrame(
            {
                "units": grouped.sum(),
                "share_off": (absolute > 0).groupby(stock["t"]).sum() / grouped.count(),
                "max": grouped.max(),
            }
        ).reset_index(names="t")

    @cached_property
    def drift_heatmap(self) -> pd.DataFrame | None:
        """Peak Σ|drift| units per store × category over the sample rounds."""
        stock = self.stock
        catalog = self.run.frame("truth/catalog", ["sku", "category"])
        if stock is None or stock.empty:
            return None
        if catalog is None:
            self.missing["drift_heatmap"] = "truth/catalog.parquet is absent (no categories)"
            return None
        category = catalog.assign(sku=catalog["sku"].astype(str)).set_index("sku")["category"]
        frame = pd.DataFrame(
            {
                "t": stock["t"],
                "store": stock["store_id"].astype(str),
                "category": stock["sku"].astype(str).map(category).fillna("(unknown)"),
                "units": stock["drift"].abs(),
            }
        )
        per_round = frame.groupby(["store", "category", "t"], observed=True)["units"].sum()
        peak = per_round.groupby(level=["store", "category"], observed=True).max()
        return peak.unstack("category").fillna(0.0).sort_index()

    @cached_property
    def record_inaccuracy(self) -> pd.DataFrame | None:
        """POS book − physical over time: cumulative unrecorded shrink (units, share)."""
        moves = self._need(
            "record_inaccuracy",
            "truth/stock_movements",
            ["store_id", "sku", "kind", "quantity", "t"],
        )
        final = self.run.frame("truth/stock_final", ["store_id", "sku"])
        if moves is None:
            return None
        shrink = moves[moves["kind"].astype(str) == "shrink"].sort_values("t")
        pairs = len(final) if final is not None and len(final) else None
        key = shrink["store_id"].astype(str) + "\x1f" + shrink["sku"].astype(str)
        first = ~key.duplicated()
        return pd.DataFrame(
            {
                "t": shrink["t"].to_numpy(),
                "units": (-shrink["quantity"]).cumsum().to_numpy(),
                "share_off": (first.cumsum() / pairs).to_numpy() if pairs else np.nan,
            }
        )

    @cached_property
    def driver_lag(self) -> pd.DataFrame | None:
        """The live driver's own lag (wall s) per bin of due time: p95, max, POS ack time."""
        sent = self._need(
            "driver_lag", "driver/sent", ["due_t", "lag_s", "sent_wall", "acked_wall"]
        )
        if sent is None or sent.empty:
            return None
        binned = sent["due_t"] // self.bin_s * self.bin_s
        lag = sent["lag_s"].groupby(binned)
        ack = (sent["acked_wall"] - sent["sent_wall"]).groupby(binned)
        return pd.DataFrame(
            {"p95": lag.quantile(0.95), "max": lag.max(), "ack_p95": ack.quantile(0.95)}
        ).reset_index(names="t")
