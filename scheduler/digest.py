"""The weekly digest: to each official and admin, a short summary of their area, with buttons
to the lists it counts; nothing is sent to an area with nothing to say.

One digest a week (a `sweep_marks` row `digest:<moment>`); after downtime it goes once, late,
as long as the next week's has not come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import reminder_button
from bot.conversation.base import label
from bot.keyboards import Markup, inline
from bot.outgoing import Letter, send_to_users
from bot.render import month
from bot.settings import Settings
from bot.texts import EMPTY, Html, Texts, join
from domain.dates import WIB
from domain.lifecycles import OPEN_PROBLEM_STATES, RequestState
from domain.reminders import ReminderKind, digest_moment, missing_after_grace
from domain.vocabulary import Role
from models.areas import Area, Ipal
from models.desludging import DesludgingRequest
from models.problems import ProblemReport
from models.reminders import claim_step
from scheduler.audience import holders_of
from scheduler.monthly import missing_report

AREA_ROLES = (Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL, Role.ADMIN)


@dataclass(frozen=True)
class Digest:
    """The figures of one area's week."""

    problems_young: int
    problems_middle: int
    problems_old: int
    missing_period: date | None
    missing: int
    lltt_overdue: int
    lltt_soon: int
    scheduled: int

    @property
    def problems(self) -> int:
        return self.problems_young + self.problems_middle + self.problems_old

    @property
    def empty(self) -> bool:
        return not (
            self.problems or self.missing or self.lltt_overdue or self.lltt_soon or self.scheduled
        )


async def send_digests(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Queue this week's digests, once; how many were queued."""
    reminders = settings.reminders
    moment = digest_moment(now, weekday=reminders.digest_weekday, at=reminders.digest_time)
    if now - moment >= timedelta(days=7):
        return 0
    if not await claim_step(session, key=f"digest:{moment.date()}", now=now):
        return 0
    letters: list[Letter] = []
    for role in AREA_ROLES:
        for area_id, users in (
            await holders_of(session, role=role, kind=ReminderKind.DIGEST)
        ).items():
            digest = await digest_of(session, _scope(role, area_id), now, settings)
            if digest.empty:
                continue
            compose = partial(digest_text, digest, await _area_name(session, area_id))
            markup = partial(digest_buttons, digest, role)
            letters += [
                Letter(
                    user.telegram_id,
                    user.language,
                    f"digest:{moment.date()}:{user.id}",
                    compose,
                    markup,
                )
                for user in users
            ]
    sent = await send_to_users(session, letters, now=now, not_before=not_before, bulk=True)
    return len(sent)


def _scope(role: Role, area_id: int | None) -> ColumnElement[bool]:
    """A condition on `Ipal`: in the official's area (anywhere for an admin)."""
    if role is Role.KALURAHAN_OFFICIAL:
        return Ipal.kalurahan_id == area_id
    if role is Role.KAPANEWON_OFFICIAL:
        return Ipal.kalurahan_id.in_(select(Area.id).where(Area.parent_id == area_id))
    return true()


async def _area_name(session: AsyncSession, area_id: int | None) -> str | None:
    area = await session.get(Area, area_id) if area_id is not None else None
    return area.name if area is not None else None


async def _count(session: AsyncSession, query: object) -> int:
    return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def digest_of(
    session: AsyncSession, scope: ColumnElement[bool], now: datetime, settings: Settings
) -> Digest:
    """The figures for the IPALs `scope` selects, as of `now`."""
    today = now.astimezone(WIB).date()
    problems = (
        select(func.count())
        .select_from(ProblemReport)
        .join(Ipal, Ipal.id == ProblemReport.ipal_id)
        .where(scope, ProblemReport.state.in_(OPEN_PROBLEM_STATES))
    )
    ages = [now - timedelta(days=days) for days in (3, 7)]
    young = await _count(session, problems.where(ProblemReport.reported_at > ages[0]))
    middle = await _count(
        session,
        problems.where(ProblemReport.reported_at <= ages[0], ProblemReport.reported_at > ages[1]),
    )
    old = await _count(session, problems.where(ProblemReport.reported_at <= ages[1]))
    period = missing_after_grace(today, grace_days=settings.reports.grace_days)
    ipals = select(func.count()).select_from(Ipal).where(scope)
    missing = 0 if period is None else await _count(session, ipals.where(missing_report(period)))
    overdue = await _count(session, ipals.where(Ipal.lltt_due_on < today))
    soon = await _count(
        session,
        ipals.where(Ipal.lltt_due_on >= today, Ipal.lltt_due_on <= today + timedelta(days=30)),
    )
    monday = today - timedelta(days=today.weekday())
    scheduled = await _count(
        session,
        select(func.count())
        .select_from(DesludgingRequest)
        .join(Ipal, Ipal.id == DesludgingRequest.ipal_id)
        .where(
            scope,
            DesludgingRequest.state == RequestState.SCHEDULED,
            DesludgingRequest.scheduled_on >= monday,
            DesludgingRequest.scheduled_on < monday + timedelta(days=7),
        ),
    )
    return Digest(young, middle, old, period, missing, overdue, soon, scheduled)


def digest_text(digest: Digest, area: str | None, texts: Texts) -> Html:
    lines = [
        texts("digest-heading", area=area or texts("digest-area-all")),
        texts(
            "digest-problems",
            count=digest.problems,
            old=digest.problems_old,
            middle=digest.problems_middle,
            young=digest.problems_young,
        ),
        texts("digest-missing", month=month(texts, digest.missing_period), count=digest.missing)
        if digest.missing_period is not None
        else EMPTY,
        texts("digest-lltt", overdue=digest.lltt_overdue, soon=digest.lltt_soon),
        texts("digest-scheduled", count=digest.scheduled),
    ]
    return join([line for line in lines if line])


LISTS = {"problems": "tindaklanjut", "missing": "rekap", "lltt": "rekap", "scheduled": "jadwal"}
"""The list each figure counts: open problems are followed up in `/tindaklanjut`; the missing
reports and LLTT are counted in `/rekap`; the desludging schedule is `/jadwal`."""


def digest_buttons(digest: Digest, role: Role, texts: Texts) -> Markup:
    """A button per figure of the digest to the list that counts it. Officials do not see the
    operators' queue (`/jadwal`): their area's desludging is in `/rekap`."""
    figures = [
        ("problems", digest.problems, {}),
        ("missing", digest.missing, {"month": month(texts, digest.missing_period)})
        if digest.missing_period is not None
        else None,
        ("lltt", digest.lltt_overdue + digest.lltt_soon, {}),
        ("scheduled", digest.scheduled, {}),
    ]
    rows = []
    for figure in figures:
        if figure is None:
            continue
        name, count, params = figure
        command = LISTS[name]
        if command == "jadwal" and role is not Role.ADMIN:
            command = "rekap"
        shown = label(texts, f"digest-button-{name}", count=count, **params)
        rows.append([(shown, reminder_button("cmd", command))])
    return inline(rows)
