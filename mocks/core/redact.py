"""Keep credentials out of what the mocks print, log and return.

A database URL shows its password as ``***`` (`redact_url`), a query string the values of
parameters that carry credentials (`redact_query`), and any text the known secrets
(`redact`): tokens, passwords. Use these wherever a value may reach a terminal, a log, an
exception message, the journal or the admin API.

Example::

    redact_url("postgresql://till:s3cret@db:5432/bench")   # 'postgresql://till:***@db:5432/bench'
    redact_query("since=5&access_token=abc")              # 'since=5&access_token=***'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["MASK", "redact", "redact_query", "redact_url", "url_secrets"]

MASK = "***"
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@:]*:)(?P<secret>[^/?#]*)(?=@)")
_SECRET_NAMES = re.compile(
    r"(?i)(?:password|passwd|pwd|secret|token|access_token|api_key|apikey|key|signature|sig"
    r"|auth|authorization|credential|credentials|client_secret)"
)
_PAIR = re.compile(r"(?P<name>[^&=;]*)=(?P<value>[^&;]*)")
_SHORTEST = 4
"""Secrets shorter than this are not searched for in free text (they would mask words)."""


def redact_query(query: str) -> str:
    """``query`` with the values of credential-like parameters (``password``, ``token``,
    ``secret``, ``key``, ``signature`` …) replaced by `MASK`."""

    def mask(found: re.Match[str]) -> str:
        name = found["name"]
        if _SECRET_NAMES.fullmatch(name.strip()) is None or not found["value"]:
            return found[0]
        return f"{name}={MASK}"

    return _PAIR.sub(mask, query)


def redact_url(url: str) -> str:
    """``url`` with the password of its user info and credential-like query values masked;
    works on URLs that do not parse too."""
    masked = _USERINFO.sub(lambda found: f"{found['head']}{MASK}", url)
    head, mark, rest = masked.partition("?")
    return f"{head}{mark}{redact_query(rest)}" if mark else masked


def url_secrets(url: str) -> list[str]:
    """The secrets a URL carries (its password), to hand to `redact`."""
    try:
        password = urlsplit(url).password
    except ValueError:
        found = _USERINFO.search(url)
        password = found["secret"] if found else None
    return [password] if password else []


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced by `MASK` (longest first, so a
    secret that contains another is masked whole), and database URLs' passwords masked."""
    for secret in sorted({s for s in secrets if len(s) >= _SHORTEST}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _USERINFO.sub(lambda found: f"{found['head']}{MASK}", text)
