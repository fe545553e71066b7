"""Flood budgets: global rolling second, private token bucket, group window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telesim.limits import RateLimiter, SimLimits

if TYPE_CHECKING:
    from tests.telesim.conftest import FakeClock


def test_the_global_budget_is_thirty_in_any_second(clock: FakeClock) -> None:
    limiter = RateLimiter(SimLimits(), clock)
    for chat_id in range(30):
        assert limiter.acquire(chat_id, private=True) is None
    assert limiter.acquire(99, private=True) == 1
    clock.advance(1.0)
    assert limiter.acquire(99, private=True) is None


def test_the_private_bucket_refills_one_per_second(clock: FakeClock) -> None:
    limiter = RateLimiter(SimLimits(), clock)
    assert [limiter.acquire(7, private=True) for _ in range(4)] == [None, None, None, 1]
    clock.advance(2.5)
    assert [limiter.acquire(7, private=True) for _ in range(3)] == [None, None, 1]


def test_a_refused_call_spends_no_budget(clock: FakeClock) -> None:
    limiter = RateLimiter(SimLimits(private_burst=1), clock)
    assert limiter.acquire(7, private=True) is None
    assert limiter.acquire(7, private=True) == 1
    assert limiter.acquire(8, private=True) is None


def test_limits_switch_off_one_by_one_or_all_at_once(clock: FakeClock) -> None:
    no_private = RateLimiter(SimLimits(private_burst=None), clock)
    assert all(no_private.acquire(7, private=True) is None for _ in range(30))
    assert no_private.acquire(7, private=True) == 1  # the global budget still holds
    unlimited = RateLimiter(SimLimits.unlimited(), clock)
    assert all(unlimited.acquire(-5, private=False) is None for _ in range(500))
