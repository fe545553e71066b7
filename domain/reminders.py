"""Which reminder step is due on a day, without replaying stale steps after downtime.

A reminder has steps, each with the day it becomes due. A step is valid from its day until
the next step's day; on any day only the latest step already due may be sent, so a sweep that
runs again after the bot was down sends the step that is valid now and none of those it
missed. Sweeps store, per IPAL and kind, the day of the next step they have not handled yet,
and come back only then.

    LLTT (due date D):   D-30, D-7, D, D+14, D+28, …  to the members
                         D+30 (once per cycle)         to the kalurahan officials
    monthly report M:    day 25 of M, day 1 of M+1, day `grace` of M+1, until the grace ends
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.dates import WIB, add_months, month_start


class ReminderKind(enum.StrEnum):
    """What a user can turn off for themselves with `/pengingat`. Stored: never rename."""

    MONTHLY = "monthly"
    LLTT = "lltt"
    DESLUDGING_TOMORROW = "desludging-tomorrow"
    DIGEST = "digest"
    RSVP = "rsvp"


@dataclass(frozen=True)
class LlttRule:
    """When LLTT reminders go: days before the due date, then every `overdue_every` days
    while overdue; the kalurahan officials once, `officials_after` days overdue."""

    days_before: Sequence[int] = (30, 7)
    overdue_every: int = 14
    officials_after: int = 30

    def __post_init__(self) -> None:
        if self.overdue_every <= 0 or self.officials_after < 0:
            raise ValueError("overdue_every must be positive, officials_after not negative")
        if any(days <= 0 for days in self.days_before):
            raise ValueError("days_before must be positive")


def lltt_step(due: date, today: date, rule: LlttRule) -> int | None:
    """The members' step valid `today`, as its offset in days from `due` (negative before
    it), or None before the first step."""
    offset = (today - due).days
    if offset >= 0:
        return offset - offset % rule.overdue_every
    started = [-days for days in rule.days_before if -days <= offset]
    return max(started) if started else None


def lltt_next_day(due: date, today: date, rule: LlttRule) -> date:
    """The first day after `today` on which a step (members' or officials') becomes due."""
    offset = (today - due).days
    moments = [-days for days in rule.days_before] + [0, rule.officials_after]
    later = [moment for moment in moments if moment > offset]
    overdue = max(offset, -1) + 1
    later.append(overdue + (-overdue) % rule.overdue_every)
    return due + timedelta(days=min(later))


def lltt_officials_due(due: date, today: date, rule: LlttRule) -> bool:
    """Whether the IPAL is overdue long enough to tell its kalurahan officials."""
    return (today - due).days >= rule.officials_after


def first_lltt_day(due: date, rule: LlttRule) -> date:
    """The day the first step of a cycle becomes due."""
    return due - timedelta(days=max((*rule.days_before, 0)))


@dataclass(frozen=True)
class MonthlyStep:
    """A monthly-report reminder valid today: the month reported on and the step's day."""

    period: date
    day: date


def monthly_days(period: date, *, reminder_day: int, grace_days: int) -> tuple[date, ...]:
    """The days the members of an IPAL without a report for `period` are reminded."""
    start = month_start(period)
    following = add_months(start, 1)
    days = [start.replace(day=reminder_day)]
    if grace_days >= 1:
        days += [following, following.replace(day=grace_days)]
    return tuple(sorted(set(days)))


def reporting_ends(period: date, *, grace_days: int) -> date:
    """The first day a report for `period` can no longer be sent."""
    return add_months(month_start(period), 1) + timedelta(days=grace_days)


def monthly_step(today: date, *, reminder_day: int, grace_days: int) -> MonthlyStep | None:
    """The monthly reminder step valid `today`, or None between the grace and day 25."""
    this_month = month_start(today)
    for period in (this_month, add_months(this_month, -1)):
        if today >= reporting_ends(period, grace_days=grace_days):
            continue
        started = [
            day
            for day in monthly_days(period, reminder_day=reminder_day, grace_days=grace_days)
            if day <= today
        ]
        if started:
            return MonthlyStep(period, max(started))
    return None


def missing_after_grace(today: date, *, grace_days: int) -> date | None:
    """The month whose missing reports officials are told about: last month, once its grace
    has ended; None before that."""
    period = add_months(month_start(today), -1)
    return period if today >= reporting_ends(period, grace_days=grace_days) else None


def digest_moment(now: datetime, *, weekday: int, at: time) -> datetime:
    """The latest weekly digest moment (weekday 0 = Monday, `at` WIB) not after `now`; the
    digest of that week is valid until the next one."""
    local = now.astimezone(WIB)
    this_week = datetime.combine(
        local.date() - timedelta(days=(local.weekday() - weekday) % 7), at, tzinfo=WIB
    )
    return this_week if this_week <= local else this_week - timedelta(days=7)


@dataclass(frozen=True)
class EscalationCycle:
    """Since when a problem has waited for somebody to take it up: since it was reported, or
    since the latest move that opened it again (`reopen`, the event's id). Each cycle's
    escalation steps are its own; those of an earlier cycle do not count for a later one."""

    problem_id: int
    start: datetime
    reopen_id: int | None = None

    @property
    def key(self) -> str:
        """`escalation:problem:<id>`, with `@<reopen event>` for a reopened problem: the key
        of the cycle, which its steps' keys begin with."""
        suffix = "" if self.reopen_id is None else f"@{self.reopen_id}"
        return f"escalation:problem:{self.problem_id}{suffix}"

    def step_key(self, step: str) -> str:
        return f"{self.key}:{step}"

    def waited(self, now: datetime) -> timedelta:
        return now - self.start


def escalation_cycle(
    problem_id: int, reported_at: datetime, reopened: Sequence[tuple[int, datetime]]
) -> EscalationCycle:
    """The current cycle, given the moves into `open` (event id, when) of the problem."""
    if not reopened:
        return EscalationCycle(problem_id, reported_at)
    reopen_id, at = max(reopened, key=lambda move: (move[1], move[0]))
    return EscalationCycle(problem_id, max(at, reported_at), reopen_id)
