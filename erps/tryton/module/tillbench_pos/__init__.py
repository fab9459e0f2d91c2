"""tillbench_pos: an external POS reference on POS sales and stock moves, for idempotency.

The reference is the POS order id (sales and returns) or the adjustment's key (stock moves);
a UNIQUE constraint makes a second post of the same reference fail instead of duplicating.
The models are registered by ``tryton.cfg``.
"""
