"""Tryton modules shipped by tillbench; copied into the Tryton environment, never imported here."""
