"""Credentials kept out of what a live run prints and records.

The run's `Secrets` collect every credential as it appears — the mocks' bearer tokens, the
webhook signature key, the connector's environment (``*_TOKEN``, ``*_SECRET``, database URL
passwords), the passwords of ``--db`` and ``--erp-db`` — and mask them (``***``,
`mocks.core.redact`) in every progress line, every error message and ``run.json``.
``connector/env.json`` and ``env.sh`` hold them in clear for the connector, readable by the
owner only (`write_private`).

Example::

    secrets = Secrets()
    secrets.add("conn-1f2e3d4c5b6a7980")
    secrets.add_url("postgresql://till:s3cret@db/bench")
    secrets.mask("token conn-1f2e3d4c5b6a7980 for postgresql://till:s3cret@db/bench")
    # 'token *** for postgresql://till:***@db/bench'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mocks.core.redact import redact, url_secrets

__all__ = ["Secrets", "write_private"]

_SECRET_SUFFIXES = ("_TOKEN", "_SECRET", "_PASSWORD", "_KEY")


class Secrets:
    """The credentials of one run, and the masking of any text or JSON tree by them."""

    def __init__(self) -> None:
        self._known: set[str] = set()

    def add(self, *values: str | None) -> None:
        """Credentials to mask; a ``USER:PASSWORD`` value masks its password alone too."""
        for value in values:
            if not value:
                continue
            self._known.add(value)
            user, colon, password = value.partition(":")
            if colon and user and password and "/" not in value:
                self._known.add(password)

    def add_url(self, url: str | None) -> None:
        """The password of a database URL."""
        if url:
            self.add(*url_secrets(url))

    def add_env(self, env: dict[str, str]) -> None:
        """The credentials of an environment: ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``,
        ``*_KEY`` values and the passwords of URLs."""
        for name, value in env.items():
            if name.upper().endswith(_SECRET_SUFFIXES):
                self.add(value)
            elif "://" in value:
                self.add_url(value)

    def mask(self, text: str) -> str:
        """``text`` with every known credential and any URL password as ``***``."""
        return redact(text, self._known)

    def mask_tree(self, value: Any) -> Any:
        """A JSON-like tree (dicts, lists, strings, numbers) with every string masked."""
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {key: self.mask_tree(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_tree(item) for item in value]
        return value


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable and writable by the owner only (0600), also when
    the file existed with wider permissions."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
