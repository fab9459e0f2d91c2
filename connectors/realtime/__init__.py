"""The realtime reference connector: ``python -m connectors.realtime`` (see CONTRACT.md)."""
