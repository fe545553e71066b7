"""APScheduler inside `sanimas run`: runs each sweep on an interval, never two at once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import WIB
from bot.runtime import Runtime
from bot.transport.shielded import UncancelledWork
from scheduler.sweeps import end_idle_conversations

log = logging.getLogger(__name__)

Sweep = Callable[[Runtime], Awaitable[int]]
SWEEPS: dict[str, Sweep] = {"conversations:idle": end_idle_conversations}


class SweepScheduler:
    """Owns the APScheduler and the sweeps it has started.

    APScheduler's shutdown cancels a running coroutine job, which would cut a sweep off in the
    middle of its database transaction; so the job only waits on the sweep, shielded, and
    `stop` lets the running sweeps finish before the database closes.
    """

    def __init__(self, runtime: Runtime, sweeps: Mapping[str, Sweep] = SWEEPS) -> None:
        self._runtime = runtime
        self._sweeps = sweeps
        self._scheduler = AsyncIOScheduler(timezone="Asia/Jakarta")
        self._sweeps_running = UncancelledWork("a sweep")

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

    async def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        await self._sweeps_running.finish()

    async def _run_sweep(self, job_id: str, sweep: Sweep) -> None:
        await self._sweeps_running.run(self._sweep_once(job_id, sweep))

    async def _sweep_once(self, job_id: str, sweep: Sweep) -> None:
        try:
            done = await sweep(self._runtime)
        except Exception:
            log.exception("sweep %s failed; it runs again at its next interval", job_id)
            return
        if done:
            log.info("sweep %s handled %d rows", job_id, done)
