"""Work that must not be cut off inside a database transaction.

Cancelling a task in the middle of an aiosqlite call can leave SQLAlchemy's connection close
waiting forever (aiosqlite 0.22), so work that holds a connection runs in a task of its own
that callers await shielded, and shutdown waits for it before the database closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
GRACE_SECONDS = 30.0


class UncancelledWork:
    """Runs coroutines to their end even when their caller is cancelled; `finish` waits."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._running: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._running)

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        task = asyncio.create_task(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(task)

    async def finish(self, grace_seconds: float = GRACE_SECONDS) -> None:
        """Wait for the running work; cancel what is still running after the grace period."""
        if not self._running:
            return
        _, late = await asyncio.wait(set(self._running), timeout=grace_seconds)
        for task in late:
            log.warning("%s still running after %.0f s; cancelling it", self._name, grace_seconds)
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)


def being_cancelled() -> bool:
    """Whether the running task was asked to stop.

    Drivers may turn a cancellation into their own error (asyncpg's arrives as a SQLAlchemy
    error); a retry loop that catches those must check this, or shutdown waits on it forever.
    """
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
