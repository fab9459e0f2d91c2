"""`SquarePos`: the mock POS speaking Square v2 (``mocks/pos/square``)."""

from __future__ import annotations

from pathlib import Path

from tillbench.live.targets.mock import MockPos
from tillbench.live.targets.protocol import PriceRead, StockRead, TargetOptions
from tillbench.live.targets.square.collect import collect_tables
from tillbench.live.targets.square.reads import SquareReads
from tillbench.live.targets.square.subscription import create_subscription

__all__ = ["SquarePos"]


class SquarePos(MockPos):
    """The mock Square POS; the harness reads it through Square's API with its own token."""

    name = "square"

    def __init__(self, options: TargetOptions) -> None:
        super().__init__(options)
        self._reads: SquareReads | None = None

    @property
    def url(self) -> str:
        """Square paths (``/v2/...``) sit right below it."""
        return self.base

    def connector_env(self) -> dict[str, str]:
        return {
            "TILLBENCH_POS_KIND": self.name,
            "TILLBENCH_POS_URL": self.url,
            "TILLBENCH_POS_TOKEN": self.run.credentials.connector,
        }

    def subscribe(self, notification_url: str) -> str:
        return create_subscription(
            self.url, token=self.run.credentials.harness, notification_url=notification_url
        )

    @property
    def reads(self) -> SquareReads:
        if self._reads is None:
            self._reads = SquareReads(self.url, token=self.run.credentials.harness)
        return self._reads

    def stock_read(self, stores: list[str]) -> StockRead:
        reads = self.reads
        chosen = list(stores)
        return lambda client: reads.stock(client, chosen)

    def price_read(self) -> PriceRead | None:
        return self.reads.prices

    def collect_tables(self, run_dir: Path, *, stores: list[str]) -> dict[str, int]:
        return collect_tables(
            run_dir, pos_url=self.url, token=self.run.credentials.harness, stores=stores
        )
