"""The hybrid reference connector: ``python -m connectors.hybrid`` (see CONTRACT.md).

Stock in real time, documents batched: `HybridIntake` queues both, the realtime mode's
posters post the stock, the batch mode's loop the documents with the stock reversals;
`mode.assemble` puts them together.
"""

from connectors.hybrid.intake import HybridIntake
from connectors.hybrid.mode import assemble

__all__ = ["HybridIntake", "assemble"]
