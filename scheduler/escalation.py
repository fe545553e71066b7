"""Escalation: what nobody took up goes up a level, each step once.

- A problem still `open` (nobody acknowledged it) goes to the kapanewon officials after 3
  days and to the admins after 7, only to those not alerted about it already; a level with
  nobody reachable passes straight to the next. A critical problem reached everyone at once:
  after 1 day it is sent again to the kalurahan officials, as a reminder.
- A desludging request still not scheduled after 7 days goes to the admins.

Each step is a `sweep_marks` row (`escalation:problem:12:kapanewon`) committed with its
messages; a problem whose steps are all handled carries the mark `escalation:problem:12` and
is not read again. The clock runs from `reported_at`: restarting it for a reopened problem
needs the moment it was reopened, which the problem's history does not hold yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, String, cast, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.alerts import alert_buttons
from bot.outgoing import send_to_user
from bot.render import place, when
from bot.settings import Settings
from bot.texts import Html, Texts
from domain.lifecycles import ProblemState, RequestState
from domain.routing import Purpose
from domain.vocabulary import Role, Severity
from models.alerts import Alert, Recipient, Subject, find_recipients, send_alerts
from models.areas import load_ipal
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from models.problems import ProblemReport
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


async def escalate_problems(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Escalate the open problems whose time has come; how many messages were queued."""
    first = min(
        settings.reminders.critical_repeat_after_days, *(lv.days for lv in levels(settings))
    )
    problems = await session.scalars(
        select(ProblemReport)
        .where(
            ProblemReport.state == ProblemState.OPEN,
            ProblemReport.reported_at <= now - timedelta(days=first),
            _unfinished("escalation:problem:", ProblemReport.id),
        )
        .order_by(ProblemReport.reported_at, ProblemReport.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=ProblemReport)
    )
    queued = 0
    for problem in list(problems):
        await load_ipal(session, ipal_id=problem.ipal_id)  # its areas, for the texts
        queued += await _escalate(session, problem, settings, now, not_before)
    return queued


async def _escalate(
    session: AsyncSession,
    problem: ProblemReport,
    settings: Settings,
    now: datetime,
    not_before: datetime,
) -> int:
    waited = now - problem.reported_at
    queued = 0
    if problem.severity == Severity.CRITICAL:
        repeat = timedelta(days=settings.reminders.critical_repeat_after_days)
        if waited >= repeat and await _claim(session, problem, "repeat", now):
            queued += await _repeat_critical(session, problem, now, not_before)
    passing_on = False
    steps = levels(settings)
    for level in steps:
        if not (passing_on or waited >= timedelta(days=level.days)):
            return queued
        if not await _claim(session, problem, level.name, now):
            continue
        recipients = await find_recipients(
            session, ipal=problem.ipal, audience={level.role: Purpose.ACT}
        )
        passing_on = not recipients
        queued += await _alert_level(session, problem, recipients, waited.days, now, not_before)
    await claim_step(session, key=f"escalation:problem:{problem.id}", now=now)
    return queued


async def _claim(session: AsyncSession, problem: ProblemReport, step: str, now: datetime) -> bool:
    return await claim_step(session, key=f"escalation:problem:{problem.id}:{step}", now=now)


async def _alert_level(
    session: AsyncSession,
    problem: ProblemReport,
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
        subject=Subject(f"problem:{problem.id}", problem.ipal, problem.severity),
        recipients=list(recipients),
        send=send,
        now=now,
    )
    return len(alerts)


async def _repeat_critical(
    session: AsyncSession, problem: ProblemReport, now: datetime, not_before: datetime
) -> int:
    recipients = await find_recipients(
        session, ipal=problem.ipal, audience={Role.KALURAHAN_OFFICIAL: Purpose.ACT}
    )
    queued = 0
    for recipient in recipients:
        message = await send_to_user(
            session,
            user=recipient.user,
            key=f"escalation:problem:{problem.id}:repeat:{recipient.user.id}",
            compose=partial(problem_text, "escalation-critical-repeat", problem, 0),
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
