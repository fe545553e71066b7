"""APScheduler inside `sanimas run`: runs each sweep on an interval, never two at once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import WIB
from bot.runtime import Runtime
from scheduler.sweeps import end_idle_conversations

log = logging.getLogger(__name__)

Sweep = Callable[[Runtime], Awaitable[int]]
SWEEPS: dict[str, Sweep] = {"conversations:idle": end_idle_conversations}


def start_scheduler(runtime: Runtime) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="Asia/Jakarta")
    for job_id, sweep in SWEEPS.items():
        scheduler.add_job(
            _run_sweep,
            "interval",
            args=(runtime, job_id, sweep),
            seconds=runtime.settings.scheduler.sweep_seconds,
            id=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(WIB),  # APScheduler keeps physical time
        )
    scheduler.start()
    return scheduler


async def _run_sweep(runtime: Runtime, job_id: str, sweep: Sweep) -> None:
    try:
        done = await sweep(runtime)
    except Exception:
        log.exception("sweep %s failed; it runs again at its next interval", job_id)
        return
    if done:
        log.info("sweep %s handled %d rows", job_id, done)
