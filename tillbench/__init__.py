"""tillbench: a test bench for POS <-> ERP integrations."""

__version__ = "0.1.0"
__all__ = ["__version__"]
