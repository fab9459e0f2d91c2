"""The seams of a connector: the parts `connectors.core.runtime.build` assembles and hands,
one by one, to a `Seams` object that may wrap them before the connector uses them.

The reference connectors use `Seams()` itself, which changes nothing. A program that
wants the same connector with one part replaced or wrapped (a test double, a probe, a
variant under evaluation) subclasses `Seams`, overrides the method of that part and runs
the connector with it; nothing on a reference connector's command line can do this.

Example::

    from connectors.core.runtime import run
    from connectors.core.seams import Seams

    class NoReturns(Seams):
        def mapper(self, mapper, *, erp):
            return lambda document: None if document.is_return else mapper(document)

    run("realtime", seams=NoReturns())

The parts, in the order they are built:

1. `erp`: the ERP adapter ``TILLBENCH_ERP_KIND`` names (`connectors.erp.ErpAdapter`);
2. `pos`: the POS adapter ``TILLBENCH_POS_KIND`` names (`connectors.pos.PosAdapter`),
   given the (wrapped) ERP adapter;
3. `mapper`: POS document → ERP document (`connectors.core.intake.Mapper`; the reference
   one is `connectors.core.intake.reference_mapper`), given the (wrapped) ERP adapter.

A method may raise `connectors.core.errors.ConfigError`: the connector then refuses to
start (exit status 2), naming the variable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connectors.core.intake import Mapper
    from connectors.erp import ErpAdapter
    from connectors.pos import PosAdapter


class Seams:
    """Wraps nothing: each method returns the reference part it is given."""

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        """The ERP adapter the connector posts through."""
        return erp

    def pos(self, pos: PosAdapter, *, erp: ErpAdapter) -> PosAdapter:
        """The POS adapter the connector reads from."""
        return pos

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        """The function that turns POS documents into ERP documents."""
        return mapper
