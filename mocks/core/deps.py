"""``Annotated`` dependencies for dialect routes: the mock context and the API principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from mocks.core.context import MockContext


def mock_context(request: Request) -> MockContext:
    """The ``MockContext`` of the app serving ``request``."""
    ctx: MockContext = request.app.state.mock
    return ctx


def api_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The principal of the request's API bearer token, or 401."""
    return mock_context(request).tokens.require(authorization)


Context = Annotated[MockContext, Depends(mock_context)]
Principal = Annotated[str, Depends(api_principal)]
