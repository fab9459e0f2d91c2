"""Real ERPs behind the bench: their environments, databases and servers (Tryton first)."""
