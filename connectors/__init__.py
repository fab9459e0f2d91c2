"""Reference POS → ERP connectors that follow the connector contract (``CONTRACT.md``).

``python -m connectors.realtime`` (webhook-driven), ``python -m connectors.batch`` (polls
orders since a stored cursor every interval) and ``python -m connectors.hybrid`` (stock in
real time, financial documents batched) share ``connectors.common``.
"""
