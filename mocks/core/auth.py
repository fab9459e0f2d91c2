"""Bearer-token authentication: API tokens map to principals; the admin token is separate."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from mocks.core.errors import ApiError


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def fingerprint(token: str) -> str:
    """A short, non-reversible label for an unknown token (never journal raw tokens)."""
    return "unknown:" + hashlib.sha256(token.encode()).hexdigest()[:10]


class TokenRegistry:
    """API tokens → principal names. The admin token is never an API token."""

    def __init__(self, tokens: Mapping[str, str], *, admin_token: str) -> None:
        self._tokens = {t: p for t, p in tokens.items() if t != admin_token}
        self._admin = admin_token

    def principal(self, authorization: str | None) -> str | None:
        """The principal of a valid API token, else None."""
        token = bearer_token(authorization)
        return None if token is None else self._tokens.get(token)

    def label(self, authorization: str | None) -> str | None:
        """What the journal records as the credential of a request."""
        token = bearer_token(authorization)
        if token is None:
            return None
        if hmac.compare_digest(token, self._admin):
            return "admin"
        return self._tokens.get(token) or fingerprint(token)

    def require(self, authorization: str | None) -> str:
        """The principal, or ApiError 401 saying what to send."""
        principal = self.principal(authorization)
        if principal is None:
            detail = "missing" if bearer_token(authorization) is None else "not valid"
            raise ApiError(
                401,
                f"The bearer token is {detail}; send 'Authorization: Bearer <API token>'.",
                field="Authorization",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return principal

    def require_admin(self, authorization: str | None) -> None:
        """ApiError 401/403 unless the header carries the admin token."""
        token = bearer_token(authorization)
        if token is None:
            raise ApiError(
                401,
                "The admin API needs 'Authorization: Bearer <admin token>'.",
                field="Authorization",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not hmac.compare_digest(token, self._admin):
            raise ApiError(
                403,
                "This token does not grant the admin API; use the admin token.",
                field="Authorization",
            )
