"""The scheduler host: a sweep running at shutdown finishes its transaction.

APScheduler's own shutdown cancels running coroutine jobs; cut off in its transaction, a sweep
on SQLite once left the event loop hanging at close.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import SystemClock
from bot.runtime import Runtime
from bot.settings import Settings
from models.audit import AuditEntry, record_audit
from models.database import Database
from scheduler.host import SweepScheduler
from scheduler.registry import Sweep
from telesim import Simulator
from tests.support.harness import test_settings as settings_for

WAIT = 10.0


async def test_stop_lets_a_running_sweep_commit(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> None:
    url, schema = database_url
    runtime = Runtime(settings_for(simulator, url, schema), clock, database=database)
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow_sweep(
        session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
    ) -> int:
        started.set()
        await release.wait()
        await record_audit(session, at=now, action="sweep-test", subject="test")
        return 1

    scheduler = SweepScheduler(
        runtime, [Sweep("test:slow", slow_sweep, waits_out_quiet_hours=False)]
    )
    scheduler.start()
    await asyncio.wait_for(started.wait(), WAIT)
    stopping = asyncio.create_task(scheduler.stop())
    release.set()
    await asyncio.wait_for(stopping, WAIT)
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sweep-test")
        )
    assert count == 1
