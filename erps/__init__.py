"""Real ERPs behind the bench: their environments, databases and servers (Tryton first)."""

from erps.errors import ErpError

__all__ = ["ErpError"]
