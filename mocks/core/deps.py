"""``Annotated`` dependencies for routes: the mock context, the API principal, the admin.

Dependencies are ``async def`` so FastAPI does not hop to a worker thread for each one.

Tokens travel as ``Authorization: Bearer <token>``; the OpenAPI document declares them as
the ``apiToken`` and ``adminToken`` security schemes. The raw header goes to the
`TokenRegistry`, which tells a missing header from a malformed one (FastAPI's own parsing
would call both missing).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mocks.core.context import MockContext

api_bearer = HTTPBearer(auto_error=False, scheme_name="apiToken", description="API token")
admin_bearer = HTTPBearer(auto_error=False, scheme_name="adminToken", description="Admin token")


def mock_context(request: Request) -> MockContext:
    """The ``MockContext`` of the app serving ``request``."""
    ctx: MockContext = request.app.state.mock
    return ctx


def _header(request: Request) -> str | None:
    return request.headers.get("authorization")


async def api_principal(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(api_bearer)],
) -> str:
    """The principal of the request's API bearer token, or 401."""
    return mock_context(request).tokens.require(_header(request))


async def require_admin(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)],
) -> MockContext:
    """The context, or 401/403 unless the admin token is sent."""
    ctx = mock_context(request)
    ctx.tokens.require_admin(_header(request))
    return ctx


async def _context(request: Request) -> MockContext:
    return mock_context(request)


Context = Annotated[MockContext, Depends(_context)]
Principal = Annotated[str, Depends(api_principal)]
AdminContext = Annotated[MockContext, Depends(require_admin)]
