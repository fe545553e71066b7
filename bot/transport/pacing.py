"""Token buckets on a monotonic clock: the budgets that keep the bot under Telegram's limits."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

UNPACED = os.environ.get("SANIMAS_BENCH_NO_PACING") == "1"
"""Benchmark switch: every bucket is bottomless (a 429's block still holds). Never in service:
Telegram refuses a bot that does not pace itself."""


@dataclass
class TokenBucket:
    rate: float
    """Tokens added per second."""
    capacity: float
    tokens: float = field(init=False)
    updated: float = field(init=False, default=0.0)
    blocked_until: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        if UNPACED:
            self.rate = self.capacity = math.inf
        self.tokens = self.capacity

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 when one is there now)."""
        self._refill(now)
        refill = 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate
        return max(refill, self.blocked_until - now)

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity and now >= self.blocked_until

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def block_until(self, moment: float) -> None:
        """Give no token before `moment` (a 429's retry_after), then one at a time."""
        self.blocked_until = max(self.blocked_until, moment)
        self.tokens = min(self.tokens, 1.0)
