"""APScheduler inside `sanimas run`: runs the sweeps on an interval, never two runs at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import WIB
from bot.runtime import Runtime
from bot.transport.shielded import UncancelledWork
from scheduler.registry import SWEEPS, Sweep, run_sweeps

JOB_ID = "sweeps"

log = logging.getLogger(__name__)


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
        self._woken: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    def wake(self, name: str) -> None:
        """Run the sweep `name` now, and again while it handles something when it repeats;
        a wake while it runs makes it run once more."""
        sweep = next((s for s in self._sweeps if s.name == name), None)
        if sweep is None:
            log.warning("no sweep %s to wake", name)
            return
        if name in self._woken:
            self._again.add(name)
            return
        task = asyncio.get_running_loop().create_task(self._run_woken(sweep))
        self._woken[name] = task
        task.add_done_callback(lambda _: self._woken.pop(name, None))

    async def _run_woken(self, sweep: Sweep) -> None:
        while True:
            self._again.discard(sweep.name)
            at = self._runtime.clock.now()
            work = run_sweeps(self._runtime, at=at, sweeps=(sweep,))
            handled = await self._sweeps_running.run(work)
            busy = bool(handled.get(sweep.name)) and sweep.repeat_seconds is not None
            if not busy and sweep.name not in self._again:
                return
            if busy and sweep.repeat_seconds:
                await asyncio.sleep(sweep.repeat_seconds)

    def start(self) -> None:
        self._runtime.sweep_waker = self.wake
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
        for sweep in self._sweeps:
            if sweep.repeat_seconds is not None:
                self.wake(sweep.name)  # work left by a previous run (a kill) goes on at once

    async def stop(self) -> None:
        self._runtime.sweep_waker = None
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in list(self._woken.values()):
            task.cancel()
        await asyncio.gather(*self._woken.values(), return_exceptions=True)
        await self._sweeps_running.finish()

    async def _run_sweeps(self) -> None:
        at = self._runtime.clock.now()
        try:
            await self._sweeps_running.run(run_sweeps(self._runtime, at=at, sweeps=self._sweeps))
        finally:
            self.first_run_done.set()
