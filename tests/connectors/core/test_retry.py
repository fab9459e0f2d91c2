"""Backoff with full jitter, capped, with Retry-After as a floor."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from connectors.core.retry import RetryPolicy, parse_retry_after


@given(retry=st.integers(0, 80), seed=st.integers(0, 2**32))
def test_delay_stays_within_the_exponential_bound(retry: int, seed: int) -> None:
    policy = RetryPolicy(attempts=8, base=0.5, cap=30.0)
    delay = policy.delay(retry, random.Random(seed))
    assert 0.0 <= delay <= min(30.0, 0.5 * 2**retry)


def test_delays_are_jittered() -> None:
    policy = RetryPolicy(base=1.0, cap=100.0)
    rng = random.Random(3)
    assert len({round(policy.delay(4, rng), 6) for _ in range(20)}) > 10


def test_no_jitter_gives_the_bound() -> None:
    policy = RetryPolicy(base=1.0, cap=10.0, jitter="none")
    assert [policy.delay(i, random.Random(0)) for i in range(6)] == [1, 2, 4, 8, 10, 10]


def test_retry_after_is_a_floor_capped_by_cap() -> None:
    policy = RetryPolicy(base=0.01, cap=5.0)
    assert policy.delay(0, random.Random(1), retry_after=3.0) == 3.0
    assert policy.delay(0, random.Random(1), retry_after=60.0) == 5.0


def test_parse_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    moment = datetime(2030, 1, 1, 0, 0, 10, tzinfo=UTC)
    now = datetime(2030, 1, 1, 0, 0, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after(format_datetime(moment, usegmt=True), now=now) == 10.0
