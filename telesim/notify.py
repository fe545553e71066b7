"""Wake-ups on every change of simulator state, so nobody has to poll."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


class Notifier:
    """Every `notify()` wakes everything waiting; a waiter re-checks its own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def next_change(self, within: float | None) -> None:
        """Return at the next notify, or after `within` seconds, whichever is first."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                await event.wait()

    async def wait_for(
        self, predicate: Callable[[], bool], within: float, describe: Callable[[], str]
    ) -> None:
        """Wait until `predicate()` holds; TimeoutError with `describe()` after `within` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {within} s; {describe()}")
            await self.next_change(remaining)
