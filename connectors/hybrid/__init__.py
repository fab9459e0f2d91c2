"""The hybrid reference connector: `python -m connectors.hybrid` (see connectors/CONTRACT.md)."""
