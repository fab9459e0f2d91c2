"""The mock ERP in its Business Central API v2.0 dialect as a target of the run (``--erp bc``).

`BcErp` adds to `tillbench.live.targets.mock.MockErp` what is Business Central's: the
company, the connector's environment, the sampler's stock read (``locationInventories``),
ERP-side events (`events`) and the end state through its API (`collect`).
"""

from tillbench.live.targets.bc.target import BcErp

__all__ = ["BcErp"]
