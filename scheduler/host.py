"""APScheduler inside `sanimas run`: runs the sweeps on an interval, never two runs at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import WIB
from bot.runtime import Runtime
from bot.transport.shielded import UncancelledWork
from scheduler.registry import SWEEPS, Sweep, run_sweeps

JOB_ID = "sweeps"


class SweepScheduler:
    """Owns the APScheduler and the sweep runs it has started.

    APScheduler's shutdown cancels a running coroutine job, which would cut a sweep off in the
    middle of its database transaction; so the job only waits on the run, shielded, and
    `stop` lets the running sweeps finish before the database closes.
    """

    def __init__(self, runtime: Runtime, sweeps: Sequence[Sweep] = SWEEPS) -> None:
        self._runtime = runtime
        self._sweeps = tuple(sweeps)
        self._scheduler = AsyncIOScheduler(timezone="Asia/Jakarta")
        self._sweeps_running = UncancelledWork("a sweep")
        self.first_run_done = asyncio.Event()
        """Set once the run at start-up has finished (tests wait on it, so that what they set
        up next is swept only when they sweep)."""

    def start(self) -> None:
        self._scheduler.add_job(
            self._run_sweeps,
            "interval",
            seconds=self._runtime.settings.scheduler.sweep_seconds,
            id=JOB_ID,
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

    async def _run_sweeps(self) -> None:
        at = self._runtime.clock.now()
        try:
            await self._sweeps_running.run(run_sweeps(self._runtime, at=at, sweeps=self._sweeps))
        finally:
            self.first_run_done.set()
