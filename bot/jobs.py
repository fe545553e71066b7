"""Work a handler starts once its update has committed: drawing a chart, making an export.

Such work is too slow for the update's transaction (a SQLite write lock would be held while
it runs); it opens its own sessions and queues its results through the outbox. A turn asks for
it with `Turn.after_commit`; the job is counted from that moment (so a caller waiting for the
bot to settle sees it before it starts), started only if the update commits, and awaited when
the bot stops. A job cut off by a kill is not resumed: its user asks again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.transport.shielded import being_cancelled

log = logging.getLogger(__name__)

Job = Callable[[], Coroutine[Any, Any, None]]


class Jobs:
    """The jobs started after their updates committed, while they run."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._reserved = 0

    @property
    def busy(self) -> bool:
        """Whether a job is running or about to start."""
        return bool(self._tasks) or self._reserved > 0

    def reserve(self) -> None:
        self._reserved += 1

    def release(self) -> None:
        self._reserved -= 1

    def start(self, job: Job, *, name: str) -> None:
        """Run a reserved job in the background; its failure is logged, never raised."""
        self._reserved -= 1
        task = asyncio.create_task(self._run(job, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job: Job, name: str) -> None:
        try:
            await job()
        except Exception:  # a job's bug must not reach the event loop unlogged
            if being_cancelled():
                raise
            log.exception("the job %s failed", name)

    async def stop(self) -> None:
        """Wait for the running jobs to finish."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
