"""Holding a call on its way in: the request has reached "Telegram", which has not acted yet.

Tests use it to kill the bot while a message is in flight: a held call is never applied
unless released, so the message counts as not delivered.
"""

from __future__ import annotations

import asyncio
import collections


class Hold:
    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self._released = asyncio.Event()
        self._apply = False

    def release(self, *, apply: bool = True) -> None:
        """Let the held call go on (`apply`) or drop it as if it never reached Telegram."""
        self._apply = apply
        self._released.set()

    async def wait(self) -> bool:
        self.arrived.set()
        await self._released.wait()
        return self._apply


class Holds:
    def __init__(self) -> None:
        self._waiting: dict[str, collections.deque[Hold]] = collections.defaultdict(
            collections.deque
        )

    def add(self, method: str) -> Hold:
        hold = Hold()
        self._waiting[method.lower()].append(hold)
        return hold

    def take(self, method: str) -> Hold | None:
        queue = self._waiting.get(method.lower())
        return queue.popleft() if queue else None
