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

from bot.notices import FAN_OUT, PROGRESS, REMIND
from bot.runtime import Runtime
from bot.settings import SchedulerSettings, Settings
from domain.quiet_hours import after_quiet_hours
from scheduler.desludging import remind_desludging_tomorrow
from scheduler.digest import send_digests
from scheduler.escalation import escalate_problems, escalate_requests
from scheduler.follow_up import ask_check_backs
from scheduler.lltt import remind_lltt
from scheduler.monthly import remind_monthly
from scheduler.notices import (
    fan_out_notices,
    remind_attendees,
    report_notice_progress,
)
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
    wakes: tuple[str, ...] = ()
    """Sweeps to wake when this one handled something (the progress of a fan-out)."""
    repeat_seconds: float | None = None
    """When woken (`Runtime.wake_sweep`): run again after this long while it still handles
    something; None runs it once."""


SWEEPS: tuple[Sweep, ...] = (
    Sweep("conversations:idle", end_idle_conversations, waits_out_quiet_hours=False),
    Sweep("reminders:monthly", remind_monthly, waits_out_quiet_hours=True),
    Sweep("reminders:lltt", remind_lltt, waits_out_quiet_hours=True),
    Sweep("reminders:desludging-tomorrow", remind_desludging_tomorrow, waits_out_quiet_hours=True),
    Sweep("escalation:problems", escalate_problems, waits_out_quiet_hours=True),
    Sweep("escalation:requests", escalate_requests, waits_out_quiet_hours=True),
    Sweep("digest:weekly", send_digests, waits_out_quiet_hours=True),
    Sweep(
        FAN_OUT,
        fan_out_notices,
        waits_out_quiet_hours=False,
        wakes=(PROGRESS,),
        repeat_seconds=0.0,
    ),
    Sweep(PROGRESS, report_notice_progress, waits_out_quiet_hours=False, repeat_seconds=1.0),
    Sweep(REMIND, remind_attendees, waits_out_quiet_hours=True),
    Sweep("problems:check-back", ask_check_backs, waits_out_quiet_hours=True),
)
"""Notices handle quiet hours themselves: a fan-out starts at `quiet_end` and holds what
waits at `quiet_start`."""


def release_time(sweep: Sweep, at: datetime, quiet: SchedulerSettings) -> datetime:
    """When the sweep's messages may go: at once, or after the quiet hours `at` falls in."""
    if not sweep.waits_out_quiet_hours:
        return at
    return after_quiet_hours(at, start=quiet.quiet_start, end=quiet.quiet_end)


def held_from(sweep: Sweep, at: datetime, quiet: SchedulerSettings, start: datetime) -> datetime:
    """When the messages of a sweep run as of `at` may go, counted from `start`: the command
    line sweeps as of any instant, and the running bot delivers them after the hold `at`
    calls for, whatever its own clock says."""
    return start + (release_time(sweep, at, quiet) - at)


async def run_sweeps(
    runtime: Runtime,
    *,
    at: datetime,
    sweeps: Sequence[Sweep] = SWEEPS,
    deliver_from: datetime | None = None,
) -> dict[str, int]:
    """Run every sweep once as of `at`, each in its own transaction; how much each handled
    (a failed sweep is logged and left out). The messages are held as `at` calls for, counted
    from `deliver_from` when given."""
    settings = runtime.settings
    handled: dict[str, int] = {}
    for sweep in sweeps:
        not_before = held_from(sweep, at, settings.scheduler, deliver_from or at)
        try:
            async with runtime.db.transaction() as session:
                count = await sweep.run(session, now=at, not_before=not_before, settings=settings)
        except Exception:
            log.exception("sweep %s failed; it runs again at its next interval", sweep.name)
            continue
        handled[sweep.name] = count
        if count:
            log.info("sweep %s handled %d", sweep.name, count)
            for name in sweep.wakes:
                runtime.wake_sweep(name)
    if any(handled.values()):
        runtime.wake_delivery()
    return handled
