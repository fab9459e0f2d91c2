"""The driver's door into the mock POS (not part of any vendor's API): registers complete sales,
returns, cancels and post-voids here, and the POS updates orders, payments and stock."""

__all__: list[str] = []
