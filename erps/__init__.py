"""Real ERPs behind the bench: their environments, databases, servers and readers (Tryton first)."""

from erps.errors import ErpError, TrytonReadError

__all__ = ["ErpError", "TrytonReadError"]
