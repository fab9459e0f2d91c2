# mypy: ignore-errors
"""`pos_reference` on `sale.point.sale`, unique where set."""

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Sale(metaclass=PoolMeta):
    __name__ = "sale.point.sale"

    pos_reference = fields.Char("POS Reference")

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        # A partial unique index rather than a Tryton SQL constraint: on SQLite Tryton checks
        # constraints in Python with one nested OR per written row, which overflows SQLite's
        # parser on a batch of a few dozen records.
        Transaction().connection.cursor().execute(
            'CREATE UNIQUE INDEX IF NOT EXISTS "sale_point_sale_pos_reference_unique" '
            'ON "sale_point_sale" ("pos_reference") WHERE "pos_reference" IS NOT NULL'
        )
