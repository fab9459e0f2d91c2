"""POS transactions after the ARTS POSLog shape: a header, then sale or return line items,
tax line items and tender line items; flags for cancelled and post-voided transactions.

Modules: :mod:`.tax` (tax classes, rounding rules, tax lines), :mod:`.lines` (sale and
return lines, discounts), :mod:`.tenders`, :mod:`.sale`, :mod:`.returns`, :mod:`.voids`.
"""

from domain.transactions.lines import EXTENDED_PRICE_ROUNDING, Discount, ReturnLine, SaleLine
from domain.transactions.returns import Return
from domain.transactions.sale import Sale
from domain.transactions.tax import (
    TaxClass,
    TaxLine,
    TaxRounding,
    compute_tax_lines,
    line_taxes,
)
from domain.transactions.tenders import (
    TENDER_TYPES,
    CardBrand,
    CardFunding,
    CardTender,
    CashTender,
    MobileTender,
    OtherTender,
    Tender,
)
from domain.transactions.voids import Cancel, PostVoid

__all__ = [
    "EXTENDED_PRICE_ROUNDING",
    "TENDER_TYPES",
    "Cancel",
    "CardBrand",
    "CardFunding",
    "CardTender",
    "CashTender",
    "Discount",
    "MobileTender",
    "OtherTender",
    "PostVoid",
    "Return",
    "ReturnLine",
    "Sale",
    "SaleLine",
    "TaxClass",
    "TaxLine",
    "TaxRounding",
    "Tender",
    "compute_tax_lines",
    "line_taxes",
]
