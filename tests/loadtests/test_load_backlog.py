"""The connector's backlog: reading ``/metrics`` and the growth over a step's window."""

from __future__ import annotations

import httpx
import pytest

from tillbench.load.backlog import BacklogProbe, slope


def test_slope_of_a_line_and_of_a_flat_noisy_backlog() -> None:
    assert slope([(t, 3 + 2.5 * t) for t in range(10)]) == pytest.approx(2.5)
    flat = [(t * 0.5, 4 + (1 if t % 2 else -1)) for t in range(20)]
    assert abs(slope(flat) or 0) < 0.1


def test_slope_needs_three_points_spread_in_time() -> None:
    assert slope([(0, 1), (1, 2)]) is None
    assert slope([(1, 1), (1, 2), (1, 3)]) is None


def _client(body: object, status: int = 200) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/metrics"
        return httpx.Response(status, json=body)

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://c")


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"backlog": 7, "posted": 1}, 200, 7.0),
        ({"backlog": True}, 200, None),
        ({"posted": 3}, 200, None),
        ({"backlog": 2}, 404, None),
        ([1, 2], 200, None),
    ],
)
def test_read_takes_only_a_numeric_backlog(body: object, status: int, expected: float) -> None:
    probe = BacklogProbe("http://c")
    with _client(body, status) as client:
        assert probe.read(client) == expected


def test_growth_fits_only_the_samples_inside_the_window() -> None:
    probe = BacklogProbe("http://c")
    ramp_up = [(100.0 + i * 0.5, 5.0 * i) for i in range(4)]
    steady = [(102.0 + i * 0.5, 15.0) for i in range(10)]
    after = [(107.0 + i * 0.5, 0.0) for i in range(4)]
    probe.points = ramp_up + steady + after
    assert probe.available
    assert probe.growth(102.0, 106.5) == pytest.approx(0.0)
    assert (probe.growth(100.0, 106.5) or 0) > 1
    assert probe.growth(200.0, 300.0) is None
