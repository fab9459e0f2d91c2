"""Token-based authentication (OAuth 1.0a, HMAC-SHA256) verified with ``oauthlib``, and
OAuth 2.0 bearer access tokens as an option.

NetSuite's TBA header is ``Authorization: OAuth realm="<ACCOUNT_ID>", oauth_consumer_key=…,
oauth_token=…, oauth_signature_method="HMAC-SHA256", oauth_timestamp=…, oauth_nonce=…,
oauth_version="1.0", oauth_signature=…`` (Oracle, "The Signature for Web Services and
RESTlets"). What is checked here, as NetSuite checks it: the realm is the account, the
consumer key and token exist, the signature method is HMAC-SHA256, the timestamp is within
``timestamp_window`` of the server clock, a nonce is used once per consumer and token, and
the signature over the request (RFC 5849 section 3.4: method, URL, query and OAuth
parameters; the body only when form-encoded) matches. A body hash (``oauth_body_hash``,
sent by some clients for JSON bodies) must match the body when present.

Any failure is NetSuite's 401 ``INVALID_LOGIN`` ("Invalid login attempt."), followed by the
reason the mock found (NetSuite writes it into the Login Audit Trail instead).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from typing import Any

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1 import RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import errors as oauth_errors
from starlette.requests import Request

from mocks.core import ApiError, MockContext
from mocks.erp.netsuite.settings import NetSuiteSettings, TbaCredential

__all__ = ["INVALID_LOGIN", "Authenticator"]

INVALID_LOGIN = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI "
    "at Setup > Users/Roles > User Management > View Login Audit Trail."
)

_DUMMY = "tillbench-dummy-credential-0000"


def unauthorized(reason: str) -> ApiError:
    """NetSuite's 401 with the reason appended."""
    return ApiError(
        401,
        f"{INVALID_LOGIN} ({reason})",
        code="INVALID_LOGIN",
        field="Authorization",
        headers={"WWW-Authenticate": 'OAuth realm="NetSuite"'},
    )


class _Validator(RequestValidator):  # type: ignore[misc]
    """oauthlib's hooks over the account's TBA credentials."""

    def __init__(self, settings: NetSuiteSettings, clock: Any = time.time) -> None:
        super().__init__()
        self._account = settings.account_id
        self._lifetime = int(settings.timestamp_window)
        self._consumers: dict[str, str] = {c.consumer_key: c.consumer_secret for c in settings.tba}
        self._tokens: dict[str, TbaCredential] = {c.token_id: c for c in settings.tba}
        self._nonces: dict[tuple[str, str, str], float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    # Shapes: NetSuite keys and tokens are 64 hex characters; accept any sane token text.
    @property
    def enforce_ssl(self) -> bool:
        return False

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return ("HMAC-SHA256",)

    @property
    def timestamp_lifetime(self) -> int:
        return self._lifetime

    @property
    def dummy_client(self) -> str:
        return _DUMMY

    @property
    def dummy_access_token(self) -> str:
        return _DUMMY

    def _sane(self, value: str) -> bool:
        return 0 < len(value) <= 200 and value.isprintable() and " " not in value

    def check_client_key(self, client_key: str) -> bool:
        return self._sane(client_key)

    def check_access_token(self, request_token: str) -> bool:
        return self._sane(request_token)

    def check_nonce(self, nonce: str) -> bool:
        return self._sane(nonce)

    def validate_client_key(self, client_key: str, request: OAuthRequest) -> bool:
        return client_key in self._consumers

    def validate_access_token(self, client_key: str, token: str, request: OAuthRequest) -> bool:
        cred = self._tokens.get(token)
        return cred is not None and cred.consumer_key == client_key

    def validate_realms(
        self,
        client_key: str,
        token: str,
        request: OAuthRequest,
        uri: Any = None,
        realms: Any = None,
    ) -> bool:
        return bool(request.realm == self._account)

    def get_client_secret(self, client_key: str, request: OAuthRequest) -> str:
        return self._consumers.get(client_key, _DUMMY)

    def get_access_token_secret(self, client_key: str, token: str, request: OAuthRequest) -> str:
        cred = self._tokens.get(token)
        return cred.token_secret if cred is not None else _DUMMY

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: OAuthRequest,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        now = self._clock()
        key = (client_key, access_token or "", nonce)
        with self._lock:
            if len(self._nonces) > 10_000:
                horizon = now - 2 * self._lifetime
                self._nonces = {k: v for k, v in self._nonces.items() if v > horizon}
            if key in self._nonces:
                request.tillbench_reason = "the nonce has been used before"
                return False
            self._nonces[key] = now
        return True

    def principal(self, token: str) -> str:
        cred = self._tokens.get(token)
        return cred.principal if cred is not None else "unknown"


class Authenticator:
    """Checks the ``Authorization`` header of a NetSuite request."""

    def __init__(self, settings: NetSuiteSettings, ctx: MockContext) -> None:
        self._validator = _Validator(settings)
        self._endpoint = ResourceEndpoint(self._validator)
        self._oauth2 = settings.oauth2
        self._ctx = ctx

    def check(self, request: Request, body: bytes) -> str:
        """The principal of a valid request, or 401 ``INVALID_LOGIN``."""
        header = request.headers.get("authorization") or ""
        scheme = header.split(" ", 1)[0].lower()
        if scheme == "bearer":
            if not self._oauth2:
                raise unauthorized("OAuth 2.0 is not enabled for this account")
            principal = self._ctx.tokens.principal(header)
            if principal is None:
                raise unauthorized("the OAuth 2.0 access token is not valid")
            return principal
        if scheme != "oauth":
            raise unauthorized(
                "send 'Authorization: OAuth realm=\"<account>\", oauth_…' (token-based "
                "authentication) or 'Authorization: Bearer <access token>'"
            )
        return self._oauth1(request, header, body)

    def _oauth1(self, request: Request, header: str, body: bytes) -> str:
        headers: Mapping[str, str] = {"Authorization": header}
        content_type = request.headers.get("content-type") or ""
        if "application/x-www-form-urlencoded" in content_type:
            headers = {**headers, "Content-Type": content_type}
        text = body.decode("utf-8", "replace") if body else None
        uri = str(request.url)
        valid, oauth_request = self._endpoint.validate_protected_resource_request(
            uri, http_method=request.method, body=text, headers=headers
        )
        if not valid:
            raise unauthorized(self._reason(oauth_request, uri, request.method, text, headers))
        body_hash = oauth_request.oauth_params.get("oauth_body_hash")
        if body_hash is not None:
            expected = base64.b64encode(hashlib.sha1(body).digest()).decode("ascii")
            if not hmac.compare_digest(expected, str(body_hash)):
                raise unauthorized("oauth_body_hash does not match the body")
        return self._validator.principal(oauth_request.resource_owner_key)

    def _reason(
        self,
        oauth_request: OAuthRequest | None,
        uri: str,
        method: str,
        body: str | None,
        headers: Mapping[str, str],
    ) -> str:
        if oauth_request is None:
            return "the OAuth header cannot be read"
        reason = getattr(oauth_request, "tillbench_reason", None)
        if reason:
            return str(reason)
        log = oauth_request.validator_log
        if not log:
            try:
                self._endpoint._check_mandatory_parameters(oauth_request)
            except oauth_errors.OAuth1Error as exc:
                return f"{exc.description}"
            if not oauth_request.resource_owner_key:
                return "oauth_token is missing"
            return "the OAuth parameters are not valid"
        if not log.get("client"):
            return "unknown oauth_consumer_key"
        if not log.get("resource_owner"):
            return "unknown oauth_token for this consumer"
        if not log.get("realm"):
            return f"realm must be the account ID, got {oauth_request.realm!r}"
        return "the signature does not match the request"
