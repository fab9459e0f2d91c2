"""The example connector with one planted bug (tests only): a document the ERP refuses for
now (an outage, a 429) is given up — sent to the dead letters — instead of retried, so
the sales rung while the ERP is down never reach it.

    python broken_connector.py PATH/TO/examples/simple_connector/connector.py

The example's code has no switch for this: its ``schedule_retry`` seam is replaced from
outside before its ``main`` runs.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any


def main() -> None:
    spec = importlib.util.spec_from_file_location("example_connector", sys.argv[1])
    assert spec is not None
    assert spec.loader is not None
    example: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)

    def give_up(state: Any, order_id: str, attempts: int, delay: float) -> None:
        del attempts, delay
        state.dead(order_id, "the ERP refused it; not retried")

    example.schedule_retry = give_up
    example.main()


if __name__ == "__main__":
    main()
