"""Helpers of the tillbench tests: httpx clients answered by a handler instead of a server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest


@contextmanager
def served(handler: Any) -> Iterator[None]:
    transport = httpx.MockTransport(handler)
    original = httpx.Client

    def client(**kwargs: Any) -> httpx.Client:
        return original(transport=transport, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx, "Client", client)
        yield
