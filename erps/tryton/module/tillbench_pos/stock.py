# mypy: ignore-errors
"""`pos_reference` on `stock.move`, unique where set, and `tillbench_done` over RPC."""

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.rpc import RPC
from trytond.transaction import Transaction, without_check_access


class Move(metaclass=PoolMeta):
    __name__ = "stock.move"

    pos_reference = fields.Char("POS Reference")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({"tillbench_done": RPC(readonly=False, instantiate=0)})

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        # A partial unique index rather than a Tryton SQL constraint: on SQLite Tryton checks
        # constraints in Python with one nested OR per written row, which overflows SQLite's
        # parser on a batch of a few dozen records.
        Transaction().connection.cursor().execute(
            'CREATE UNIQUE INDEX IF NOT EXISTS "stock_move_pos_reference_unique" '
            'ON "stock_move" ("pos_reference") WHERE "pos_reference" IS NOT NULL'
        )

    @classmethod
    @without_check_access
    def tillbench_done(cls, moves):
        """Assign and do draft adjustment moves (the `do` button refuses unassigned ones)."""
        drafts = [m for m in moves if m.state == "draft"]
        if drafts:
            cls.assign(drafts)
        cls.do([m for m in moves if m.state in {"draft", "assigned"}])
