"""The batch reference connector: `python -m connectors.batch` (see connectors/CONTRACT.md)."""
