"""The mock POS in its Square v2 dialect as a target of the run (``--pos square``).

`SquarePos` adds to `tillbench.live.targets.mock.MockPos` what is Square's: the connector's
environment, the webhook subscription (`subscription`), the sampler's stock and price reads
(`reads`) and the end state through Square's API (`collect`).
"""

from tillbench.live.targets.square.target import SquarePos

__all__ = ["SquarePos"]
