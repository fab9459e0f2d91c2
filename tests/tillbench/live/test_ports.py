"""Free loopback ports: distinct, and never one this process was handed lately (a mock
that has not bound its port yet keeps it)."""

from __future__ import annotations

import socket

from tillbench.live.ports import free_ports


def test_ports_are_free_and_never_handed_out_twice() -> None:
    handed = [port for _ in range(40) for port in free_ports(2)]

    assert len(set(handed)) == len(handed) == 80
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", handed[-1]))
