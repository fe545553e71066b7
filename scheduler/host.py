"""APScheduler inside `sanimas run`: runs each sweep on an interval, never two at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import WIB
from bot.runtime import Runtime
from scheduler.sweeps import end_idle_conversations

log = logging.getLogger(__name__)

Sweep = Callable[[Runtime], Awaitable[int]]
SWEEPS: dict[str, Sweep] = {"conversations:idle": end_idle_conversations}


class SweepScheduler:
    """Owns the APScheduler and the sweeps it has started.

    APScheduler's shutdown cancels a running coroutine job, which would cut a sweep off in the
    middle of its database transaction. So each sweep runs in a task of our own that the job
    only waits on, shielded, and `stop` lets the running sweeps finish before the database
    closes.
    """

    def __init__(self, runtime: Runtime, sweeps: Mapping[str, Sweep] = SWEEPS) -> None:
        self._runtime = runtime
        self._sweeps = sweeps
        self._scheduler = AsyncIOScheduler(timezone="Asia/Jakarta")
        self._running: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        for job_id, sweep in self._sweeps.items():
            self._scheduler.add_job(
                self._run_sweep,
                "interval",
                args=(job_id, sweep),
                seconds=self._runtime.settings.scheduler.sweep_seconds,
                id=job_id,
                replace_existing=True,
                max_instances=1,
                coalesce=True,
                next_run_time=datetime.now(WIB),  # APScheduler keeps physical time
            )
        self._scheduler.start()

    async def stop(self, grace_seconds: float = 30.0) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if not self._running:
            return
        _, late = await asyncio.wait(set(self._running), timeout=grace_seconds)
        for task in late:
            log.warning(
                "sweep %s still running after %.0f s; cancelling it", task.get_name(), grace_seconds
            )
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _run_sweep(self, job_id: str, sweep: Sweep) -> None:
        task = asyncio.create_task(self._sweep_once(job_id, sweep), name=job_id)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        await asyncio.shield(task)

    async def _sweep_once(self, job_id: str, sweep: Sweep) -> None:
        try:
            done = await sweep(self._runtime)
        except Exception:
            log.exception("sweep %s failed; it runs again at its next interval", job_id)
            return
        if done:
            log.info("sweep %s handled %d rows", job_id, done)
