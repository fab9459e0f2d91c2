"""Bearer-token authentication: API tokens map to principals; the admin token is separate.

The header is read as the bytes that came over the wire (ASGI servers hand them over as
latin-1 text, which maps every byte to one character). Anything that is not
``Bearer <token>`` with a token of visible ASCII (RFC 6750's ``b64token``: letters, digits
and ``-._~+/``, then ``=`` padding) of at most `MAX_TOKEN_BYTES` is *malformed* and gets the
same 401 as a wrong token, with a message that says what a header must look like (never
what it held: a malformed header may still be a secret sent to the wrong place). Tokens are
compared as SHA-256 digests with `hmac.compare_digest`, against every known token, so the
time an answer takes says nothing about how close a guess came.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import NamedTuple

from mocks.core.errors import ApiError

__all__ = [
    "MAX_TOKEN_BYTES",
    "Bearer",
    "Problem",
    "TokenRegistry",
    "bearer_token",
    "fingerprint",
    "read_bearer",
    "well_formed_token",
]

MAX_TOKEN_BYTES = 4096
"""Longest bearer token read; longer ones are malformed (real tokens are well under 1 KiB)."""
_TOKEN = re.compile(rb"[A-Za-z0-9\-._~+/]+=*")
_SCHEME = b"bearer"
_USAGE = "send 'Authorization: Bearer <API token>'"
_SHAPE = (
    f"a token is 1 to {MAX_TOKEN_BYTES} characters of letters, digits and -._~+/ "
    "(then = padding), nothing else"
)


class Problem(enum.Enum):
    """Why an ``Authorization`` header yields no token."""

    MISSING = "missing"
    """No header, an empty one, or ``Bearer`` with nothing after it."""
    MALFORMED = "malformed"
    """Another scheme, no scheme, or a token that is not a well-formed bearer token."""


class Bearer(NamedTuple):
    """What an ``Authorization`` header carries: the token's bytes, or why there are none."""

    token: bytes | None
    problem: Problem | None


def _wire(text: str) -> bytes:
    """The bytes a header value came as (latin-1 text from ASGI); other text as UTF-8."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def well_formed_token(token: bytes) -> bool:
    """True for a bearer token of visible ASCII no longer than `MAX_TOKEN_BYTES`."""
    return len(token) <= MAX_TOKEN_BYTES and _TOKEN.fullmatch(token) is not None


def read_bearer(authorization: str | bytes | None) -> Bearer:
    """Split an ``Authorization`` header into a token or a `Problem`; never raises."""
    raw = _wire(authorization) if isinstance(authorization, str) else authorization or b""
    if len(raw) > MAX_TOKEN_BYTES + 64:
        return Bearer(None, Problem.MALFORMED)
    value = raw.strip(b" \t")
    if not value:
        return Bearer(None, Problem.MISSING)
    scheme, _, rest = value.partition(b" ")
    if scheme.lower() != _SCHEME:
        return Bearer(None, Problem.MALFORMED)
    token = rest.strip(b" \t")
    if not token:
        return Bearer(None, Problem.MISSING)
    if not well_formed_token(token):
        return Bearer(None, Problem.MALFORMED)
    return Bearer(token, None)


def bearer_token(authorization: str | None) -> str | None:
    """The token of a well-formed ``Authorization: Bearer <token>`` header, else None."""
    token = read_bearer(authorization).token
    return None if token is None else token.decode("ascii")


def fingerprint(token: bytes | str) -> str:
    """A short, non-reversible label for an unknown token (never journal raw tokens)."""
    data = token.encode("utf-8", "surrogatepass") if isinstance(token, str) else token
    return "unknown:" + hashlib.sha256(data).hexdigest()[:10]


def _digest(token: bytes) -> bytes:
    return hashlib.sha256(token).digest()


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, field="Authorization", headers={"WWW-Authenticate": "Bearer"})


def _problem_error(problem: Problem, *, admin: bool) -> ApiError:
    usage = "send 'Authorization: Bearer <admin token>'" if admin else _USAGE
    if problem is Problem.MISSING:
        what = "The admin API needs a bearer token" if admin else "The bearer token is missing"
        return _unauthorized(f"{what}; {usage}.")
    return _unauthorized(f"The Authorization header is malformed; {usage}, where {_SHAPE}.")


class TokenRegistry:
    """API tokens → principal names. The admin token is never an API token."""

    def __init__(self, tokens: Mapping[str, str], *, admin_token: str) -> None:
        admin = _wire(admin_token)
        self._tokens = [
            (_digest(_wire(token)), principal)
            for token, principal in tokens.items()
            if _wire(token) != admin
        ]
        self._admin = _digest(admin)

    def _principal(self, token: bytes) -> str | None:
        """The principal of ``token``: every known token is compared, none skipped."""
        digest = _digest(token)
        found: str | None = None
        for known, principal in self._tokens:
            if hmac.compare_digest(known, digest):
                found = principal
        return found

    def _is_admin(self, token: bytes) -> bool:
        return hmac.compare_digest(self._admin, _digest(token))

    def principal(self, authorization: str | None) -> str | None:
        """The principal of a valid API token, else None."""
        token = read_bearer(authorization).token
        return None if token is None else self._principal(token)

    def label(self, authorization: str | None) -> str | None:
        """What the journal records as the credential of a request: ``admin``, the
        principal, ``unknown:<fingerprint>``, ``malformed``, or None when there is none."""
        token, problem = read_bearer(authorization)
        if token is None:
            return "malformed" if problem is Problem.MALFORMED else None
        if self._is_admin(token):
            return "admin"
        return self._principal(token) or fingerprint(token)

    def require(self, authorization: str | None) -> str:
        """The principal, or ApiError 401 saying what to send."""
        token, problem = read_bearer(authorization)
        if token is None:
            assert problem is not None
            raise _problem_error(problem, admin=False)
        principal = self._principal(token)
        if principal is None:
            raise _unauthorized(f"The bearer token is not valid; {_USAGE}.")
        return principal

    def require_admin(self, authorization: str | None) -> None:
        """ApiError 401/403 unless the header carries the admin token."""
        token, problem = read_bearer(authorization)
        if token is None:
            assert problem is not None
            raise _problem_error(problem, admin=True)
        if not self._is_admin(token):
            raise ApiError(
                403,
                "This token does not grant the admin API; use the admin token.",
                field="Authorization",
            )
