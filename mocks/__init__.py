"""Mock POS and ERP servers that behave like the real services, misbehaviour included.

Subpackages: `mocks.core` (persistence, request journal, admin API, error policy, runner),
`mocks.faults` (fault engine and timeline), `mocks.erp` (Business Central v2.0 dialect) and
`mocks.pos` (Square v2 dialect). Mocks import `domain` only, never other tillbench packages.
"""
