"""Escalation: what nobody took up goes up a level, each step once.

- A problem still `open` (nobody acknowledged it) goes to the kapanewon officials after 3
  days and to the admins after 7, only to those not alerted about it already; a level with
  nobody reachable passes straight to the next. A critical problem reached everyone at once:
  after 1 day it is sent again to the kalurahan officials, as a reminder.
- A desludging request still not scheduled after 7 days goes to the admins.

Each step is a `sweep_marks` row (`escalation:problem:12:kapanewon`) committed with its
messages; a problem whose steps are all handled carries the mark `escalation:problem:12` and
is not read again. The clock runs from `reported_at`, or from the latest move that opened the
problem again (`problem_events`): a reopened problem starts a new cycle, whose keys name the
reopen event (`escalation:problem:12@34:kapanewon`), so the steps of the earlier cycle do not
hold back this one's; its alerts share the subject of the reopening's own alerts, so whoever
was alerted again on reopening is not alerted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, Select, String, cast, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.alerts import alert_buttons
from bot.outgoing import send_to_user
from bot.render import place, when
from bot.settings import Settings
from bot.texts import Html, Texts
from domain.lifecycles import ProblemState, RequestState
from domain.reminders import EscalationCycle, escalation_cycle
from domain.routing import Purpose
from domain.vocabulary import Role, Severity
from models.alerts import Alert, Recipient, Subject, find_recipients, send_alerts
from models.areas import load_ipal
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from models.problems import ProblemEvent, ProblemReport, link_subject, reopen_subject
from models.reminders import SweepMark, claim_step
from scheduler.sweeps import BATCH


@dataclass(frozen=True)
class Level:
    name: str
    role: Role
    days: int


def levels(settings: Settings) -> tuple[Level, ...]:
    reminders = settings.reminders
    return (
        Level("kapanewon", Role.KAPANEWON_OFFICIAL, reminders.escalate_kapanewon_after_days),
        Level("admins", Role.ADMIN, reminders.escalate_admins_after_days),
    )


def _unfinished(prefix: str, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """No `sweep_marks` row `<prefix><id>`: its steps are not all handled yet."""
    key = literal(prefix) + cast(column, String)
    return ~exists().where(SweepMark.key == key)


def _reopens() -> ColumnElement[int]:
    """The latest move of the problem into `open` (its reopening), or NULL."""
    return (
        select(func.max(ProblemEvent.id))
        .where(
            ProblemEvent.problem_id == ProblemReport.id, ProblemEvent.state_to == ProblemState.OPEN
        )
        .correlate(ProblemReport)
        .scalar_subquery()
    )


def _cycle_start() -> ColumnElement[datetime]:
    """When the problem's current cycle began: the latest reopening, or the report."""
    reopened = (
        select(func.max(ProblemEvent.at))
        .where(
            ProblemEvent.problem_id == ProblemReport.id, ProblemEvent.state_to == ProblemState.OPEN
        )
        .correlate(ProblemReport)
        .scalar_subquery()
    )
    return func.coalesce(reopened, ProblemReport.reported_at)


def _cycle_unfinished() -> ColumnElement[bool]:
    """No mark `escalation:problem:<id>[@<reopen>]`: the current cycle has steps to go."""
    key = (
        literal("escalation:problem:")
        + cast(ProblemReport.id, String)
        + func.coalesce(literal("@") + cast(_reopens(), String), literal(""))
    )
    return ~exists().where(SweepMark.key == key)


def due_problems(threshold: datetime) -> Select[ProblemReport]:
    """The open problems whose current cycle began at `threshold` or before, steps to go."""
    return (
        select(ProblemReport)
        .where(
            ProblemReport.state == ProblemState.OPEN,
            ProblemReport.reported_at <= threshold,  # the index; a reopening comes later
            _cycle_start() <= threshold,
            _cycle_unfinished(),
        )
        .order_by(ProblemReport.reported_at, ProblemReport.id)
    )


async def escalate_problems(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Escalate the open problems whose time has come; how many messages were queued."""
    first = min(
        settings.reminders.critical_repeat_after_days, *(lv.days for lv in levels(settings))
    )
    problems = await session.scalars(
        due_problems(now - timedelta(days=first))
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=ProblemReport)
    )
    queued = 0
    for problem in list(problems):
        await load_ipal(session, ipal_id=problem.ipal_id)  # its areas, for the texts
        cycle = await current_cycle(session, problem)
        queued += await _escalate(session, problem, cycle, settings, now, not_before)
    return queued


async def current_cycle(session: AsyncSession, problem: ProblemReport) -> EscalationCycle:
    """The problem's escalation cycle: since the report, or since its latest reopening."""
    moves = await session.execute(
        select(ProblemEvent.id, ProblemEvent.at).where(
            ProblemEvent.problem_id == problem.id, ProblemEvent.state_to == ProblemState.OPEN
        )
    )
    return escalation_cycle(problem.id, problem.reported_at, [(i, at) for i, at in moves])


async def _escalate(
    session: AsyncSession,
    problem: ProblemReport,
    cycle: EscalationCycle,
    settings: Settings,
    now: datetime,
    not_before: datetime,
) -> int:
    waited = cycle.waited(now)
    queued = 0
    subject = f"problem:{problem.id}"
    if cycle.reopen_id is not None:
        subject = reopen_subject(problem.id, cycle.reopen_id)
        await link_subject(session, subject=subject, problem_ids=[problem.id])
    if problem.severity == Severity.CRITICAL:
        repeat = timedelta(days=settings.reminders.critical_repeat_after_days)
        if waited >= repeat and await _claim(session, cycle, "repeat", now):
            queued += await _repeat_critical(session, problem, cycle, waited.days, now, not_before)
    passing_on = False
    steps = levels(settings)
    for level in steps:
        if not (passing_on or waited >= timedelta(days=level.days)):
            return queued
        if not await _claim(session, cycle, level.name, now):
            continue
        recipients = await find_recipients(
            session, ipal=problem.ipal, audience={level.role: Purpose.ACT}
        )
        passing_on = not recipients
        queued += await _alert_level(
            session, problem, subject, recipients, waited.days, now, not_before
        )
    await claim_step(session, key=cycle.key, now=now)
    return queued


async def _claim(session: AsyncSession, cycle: EscalationCycle, step: str, now: datetime) -> bool:
    return await claim_step(session, key=cycle.step_key(step), now=now)


async def _alert_level(
    session: AsyncSession,
    problem: ProblemReport,
    subject: str,
    recipients: Sequence[Recipient],
    days: int,
    now: datetime,
    not_before: datetime,
) -> int:
    async def send(recipient: Recipient, alert: Alert) -> OutboxMessage | None:
        return await send_to_user(
            session,
            user=recipient.user,
            key=f"alert:{alert.id}",
            compose=partial(problem_text, "escalation-problem", problem, days),
            markup=partial(alert_buttons, alert.id),
            now=now,
            not_before=not_before,
        )

    alerts = await send_alerts(
        session,
        subject=Subject(subject, problem.ipal, problem.severity),
        recipients=list(recipients),
        send=send,
        now=now,
    )
    return len(alerts)


async def _repeat_critical(
    session: AsyncSession,
    problem: ProblemReport,
    cycle: EscalationCycle,
    days: int,
    now: datetime,
    not_before: datetime,
) -> int:
    recipients = await find_recipients(
        session, ipal=problem.ipal, audience={Role.KALURAHAN_OFFICIAL: Purpose.ACT}
    )
    queued = 0
    for recipient in recipients:
        message = await send_to_user(
            session,
            user=recipient.user,
            key=f"{cycle.step_key('repeat')}:{recipient.user.id}",
            compose=partial(problem_text, "escalation-critical-repeat", problem, days),
            now=now,
            not_before=not_before,
        )
        queued += message is not None
    return queued


def problem_text(key: str, problem: ProblemReport, days: int, texts: Texts) -> Html:
    return texts(
        key,
        days=days,
        number=problem.id,
        place=place(texts, problem.ipal),
        what=texts(
            "alert-what-problem",
            kind=texts(f"problem-kind-{problem.kind}"),
            urgency=texts(f"urgency-{problem.urgency}"),
        ),
        at=when(texts, problem.reported_at),
    )


async def escalate_requests(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Send the desludging requests still unscheduled after the set days to the admins."""
    days = settings.reminders.unscheduled_request_after_days
    requests = await session.scalars(
        select(DesludgingRequest)
        .where(
            DesludgingRequest.state == RequestState.REQUESTED,
            DesludgingRequest.requested_at <= now - timedelta(days=days),
            _unfinished("escalation:request:", DesludgingRequest.id),
        )
        .order_by(DesludgingRequest.requested_at, DesludgingRequest.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=DesludgingRequest)
    )
    queued = 0
    for request in list(requests):
        await load_ipal(session, ipal_id=request.ipal_id)
        if not await claim_step(session, key=f"escalation:request:{request.id}", now=now):
            continue
        recipients = await find_recipients(
            session, ipal=request.ipal, audience={Role.ADMIN: Purpose.ACT}
        )
        waited = (now - request.requested_at).days
        queued += await _alert_request(session, request, recipients, waited, now, not_before)
    return queued


async def _alert_request(
    session: AsyncSession,
    request: DesludgingRequest,
    recipients: list[Recipient],
    days: int,
    now: datetime,
    not_before: datetime,
) -> int:
    def text(texts: Texts) -> Html:
        return texts(
            "escalation-request",
            days=days,
            number=request.id,
            place=place(texts, request.ipal),
            at=when(texts, request.requested_at),
        )

    async def send(recipient: Recipient, alert: Alert) -> OutboxMessage | None:
        return await send_to_user(
            session,
            user=recipient.user,
            key=f"alert:{alert.id}",
            compose=text,
            markup=partial(alert_buttons, alert.id),
            now=now,
            not_before=not_before,
        )

    alerts = await send_alerts(
        session,
        subject=Subject(f"desludging:{request.id}", request.ipal, request.severity),
        recipients=recipients,
        send=send,
        now=now,
    )
    return len(alerts)
