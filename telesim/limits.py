"""Flood limits of the Bot API: global, per private chat and per group chat."""

from __future__ import annotations

import collections
import dataclasses
import math
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class SimLimits:
    """Budgets the simulator enforces; None switches one off, enforce=False switches all off."""

    global_per_second: int | None = 30
    private_burst: int | None = 3
    private_refill_per_second: float = 1.0
    group_per_window: int | None = 20
    group_window_seconds: float = 60.0
    callback_answer_timeout: float = 15.0
    enforce: bool = True
    webhook_retry_initial: float = 0.05
    webhook_retry_max: float = 2.0

    @classmethod
    def unlimited(cls) -> SimLimits:
        return cls(enforce=False)


class _Window:
    """At most `limit` events in any rolling `seconds` window."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: collections.deque[float] = collections.deque()

    def wait(self, now: float) -> float:
        while self._times and self._times[0] <= now - self.seconds:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.seconds - now

    def take(self, now: float) -> None:
        self._times.append(now)


class _Bucket:
    """Token bucket: `burst` tokens, refilled at `rate` per second."""

    def __init__(self, burst: int, rate: float, now: float) -> None:
        self.burst = burst
        self.rate = rate
        self._tokens = float(burst)
        self._stamp = now

    def wait(self, now: float) -> float:
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self, now: float) -> None:
        self.wait(now)
        self._tokens -= 1


class RateLimiter:
    """Decides whether a sending call to a chat fits the budgets; consumes budget if it does."""

    def __init__(self, limits: SimLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self._clock = clock
        per_second = limits.global_per_second
        self._global = _Window(per_second, 1.0) if per_second is not None else None
        self._private: dict[int, _Bucket] = {}
        self._groups: dict[int, _Window] = {}

    def acquire(self, chat_id: int, *, private: bool) -> int | None:
        """Take one unit of budget, or return retry_after (whole seconds, at least 1)."""
        if not self.limits.enforce:
            return None
        now = self._clock()
        budgets = [b for b in (self._global, self._chat_budget(chat_id, private, now)) if b]
        wait = max((b.wait(now) for b in budgets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for budget in budgets:
            budget.take(now)
        return None

    def _chat_budget(self, chat_id: int, private: bool, now: float) -> _Window | _Bucket | None:
        limits = self.limits
        if private:
            if limits.private_burst is None:
                return None
            if chat_id not in self._private:
                rate = limits.private_refill_per_second
                self._private[chat_id] = _Bucket(limits.private_burst, rate, now)
            return self._private[chat_id]
        if limits.group_per_window is None:
            return None
        if chat_id not in self._groups:
            window = _Window(limits.group_per_window, limits.group_window_seconds)
            self._groups[chat_id] = window
        return self._groups[chat_id]
