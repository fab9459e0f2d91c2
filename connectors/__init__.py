"""Reference POS → ERP connectors that follow the connector contract (``CONTRACT.md``).

``python -m connectors.realtime`` (webhook-driven), ``python -m connectors.batch`` (polls
orders since a stored cursor every interval) and ``python -m connectors.hybrid`` (stock in
real time, financial documents batched) are modes over `connectors.core` (runtime, durable
state, retry, HTTP, server, card scrubbing) with a POS adapter (`connectors.pos`, one
folder per dialect) and an ERP adapter (`connectors.erp`, one folder per dialect) that meet
in dialect-neutral documents. ``README.md`` says how to add a dialect.
"""

__all__: list[str] = []
