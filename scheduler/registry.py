"""The registry of sweeps, and `run_sweeps`: every sweep once, as of one instant.

The APScheduler host calls `run_sweeps` on an interval; tests call it directly with the
instant they want. Each sweep runs in its own transaction, so one that fails leaves the
others' work committed (and is tried again at the next run).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.settings import SchedulerSettings, Settings
from domain.quiet_hours import after_quiet_hours
from scheduler.follow_up import ask_check_backs
from scheduler.sweeps import end_idle_conversations

log = logging.getLogger(__name__)


class SweepFunction(Protocol):
    async def __call__(
        self, session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
    ) -> int:
        """Do the sweep's work as of `now`, its messages held until `not_before`; how many
        rows or messages it handled."""


@dataclass(frozen=True)
class Sweep:
    name: str
    """`kind:what`, e.g. `conversations:idle`; it names the sweep in the logs."""
    run: SweepFunction
    waits_out_quiet_hours: bool
    """Reminders and digests wait for the morning; what answers a user's own action does not."""


SWEEPS: tuple[Sweep, ...] = (
    Sweep("conversations:idle", end_idle_conversations, waits_out_quiet_hours=False),
    Sweep("problems:check-back", ask_check_backs, waits_out_quiet_hours=True),
)


def release_time(sweep: Sweep, at: datetime, quiet: SchedulerSettings) -> datetime:
    """When the sweep's messages may go: at once, or after the quiet hours `at` falls in."""
    if not sweep.waits_out_quiet_hours:
        return at
    return after_quiet_hours(at, start=quiet.quiet_start, end=quiet.quiet_end)


async def run_sweeps(
    runtime: Runtime, *, at: datetime, sweeps: Sequence[Sweep] = SWEEPS
) -> dict[str, int]:
    """Run every sweep once as of `at`, each in its own transaction; how much each handled
    (a failed sweep is logged and left out)."""
    settings = runtime.settings
    handled: dict[str, int] = {}
    for sweep in sweeps:
        not_before = release_time(sweep, at, settings.scheduler)
        try:
            async with runtime.db.transaction() as session:
                count = await sweep.run(session, now=at, not_before=not_before, settings=settings)
        except Exception:
            log.exception("sweep %s failed; it runs again at its next interval", sweep.name)
            continue
        handled[sweep.name] = count
        if count:
            log.info("sweep %s handled %d", sweep.name, count)
    if any(handled.values()):
        runtime.wake_delivery()
    return handled
