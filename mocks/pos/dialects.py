"""The POS dialects the mock POS speaks: name → ``module:function`` app factory.

A dialect is one folder under ``mocks/pos/`` (see ``mocks/pos/README.md``) plus one line
here. Factories are named, not imported, so this module stays light: ``tillbench mock pos
--dialect NAME`` and the live harness resolve a name and hand the factory to
``mocks.core.serve``, which imports it in each worker.
"""

from __future__ import annotations

__all__ = ["DEFAULT_DIALECT", "DIALECTS", "app_factory"]

DIALECTS: dict[str, str] = {
    "square": "mocks.pos.square.app:create_app",
    "shopify": "mocks.pos.shopify.app:create_app",
}

DEFAULT_DIALECT = "square"
"""Square Connect v2."""


def app_factory(name: str) -> str:
    """The ``module:function`` app factory of POS dialect ``name``.

    Example::

        app_factory("square")  # 'mocks.pos.square.app:create_app'
    """
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(
            f"dialect: not a POS dialect of the mocks, got {name!r}; choose one of: {known}"
        ) from None
