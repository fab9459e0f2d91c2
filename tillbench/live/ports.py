"""Free TCP ports on the loopback interface for the mocks and the connector."""

from __future__ import annotations

import collections
import contextlib
import socket
import threading

__all__ = ["free_ports"]

_RECENT = 256
"""How many ports handed out lately are never handed out again (they may not be bound yet)."""
_handed_out: collections.deque[int] = collections.deque(maxlen=_RECENT)
_lock = threading.Lock()


def free_ports(count: int, *, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports that are free right now (held open together while chosen,
    so the kernel cannot hand the same one out twice), none of them one this process was
    handed lately: a mock that has not bound its port yet keeps it."""
    with _lock, contextlib.ExitStack() as stack:
        ports: list[int] = []
        while len(ports) < count:
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
            if port not in _handed_out:
                ports.append(port)
        _handed_out.extend(ports)
        return ports
