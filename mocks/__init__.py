"""Mock POS and ERP servers that behave like the real services, misbehaviour included.

Subpackages: `mocks.core` (persistence, request journal, admin API, error policy, runner),
`mocks.faults` (fault engine and timeline), `mocks.pos` (POS engine + dialects: `square`)
and `mocks.erp` (ERP engine + dialects: `bc`). Each side is one shared engine plus one
folder per vendor dialect, registered by name in `mocks.pos.dialects` and
`mocks.erp.dialects`; mocks/README.md says how to add one. Mocks import `domain` only,
never other tillbench packages.
"""

__all__: list[str] = []
