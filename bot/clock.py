"""The one source of time: always aware, always Asia/Jakarta (WIB)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Protocol

from domain.dates import WIB

__all__ = ["WIB", "Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Real time, optionally started at another instant and running on from there."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = 0.0 if start is None else start.timestamp() - time.time()

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self._offset, WIB)

    def today(self) -> date:
        return self.now().date()

    def advance(self, delta: timedelta) -> None:
        """Jump ahead (tests and end-to-end runs move time; it keeps running from there)."""
        self._offset += delta.total_seconds()


class ManualClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(WIB)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(WIB)
