"""The connector's backlog: reading ``/metrics`` and the growth over a step's window."""

from __future__ import annotations

import httpx
import pytest

from tillbench.load.backlog import BacklogProbe, fit, slope


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
    steady_fit = probe.growth(102.0, 106.5)
    assert steady_fit is not None
    assert steady_fit.slope == pytest.approx(0.0)
    with_ramp = probe.growth(100.0, 106.5)
    assert with_ramp is not None
    assert with_ramp.slope > 1
    assert probe.growth(200.0, 300.0) is None


def test_the_fit_says_how_sure_it_is() -> None:
    line = fit([(t, 1 + 0.5 * t) for t in range(8)])
    assert line is not None
    assert line.stderr == pytest.approx(0.0, abs=1e-12)
    jitter = fit([(t * 0.5, 6 + (3 if t % 3 == 0 else -1.5)) for t in range(9)])
    assert jitter is not None
    assert jitter.stderr > 0
    assert abs(jitter.slope) < 2 * jitter.stderr, "jitter is not growth"
