"""The driver's door into the mock POS (not part of Square's API): registers complete sales,
returns, cancels and post-voids here, and the POS updates orders, payments and stock."""
