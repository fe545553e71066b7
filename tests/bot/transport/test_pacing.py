"""Token buckets: the budgets behind the outbox's pacing."""

from __future__ import annotations

from bot.transport.pacing import TokenBucket


def test_burst_then_rate() -> None:
    """A full bucket gives its burst at once, then one token per 1/rate seconds."""
    bucket = TokenBucket(rate=1.0, capacity=3)
    for _ in range(3):
        assert bucket.wait_time(10.0) == 0
        bucket.take(10.0)
    assert bucket.wait_time(10.0) == 1.0
    assert bucket.wait_time(10.5) == 0.5
    assert bucket.wait_time(11.0) == 0


def test_block_until_holds_back_the_next_token() -> None:
    """After a 429's retry_after, nothing goes before that moment, however full the bucket."""
    bucket = TokenBucket(rate=1.0, capacity=3)
    bucket.block_until(15.0)
    assert bucket.wait_time(12.0) == 3.0
    assert not bucket.is_full(12.0)
    assert bucket.wait_time(15.0) == 0
    assert bucket.is_full(20.0)
