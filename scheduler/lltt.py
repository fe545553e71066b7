"""LLTT reminders: the members before, on and after the due date; the kalurahan officials once
per cycle when it is long overdue.

Only IPALs whose stored reminder day (`ipals.lltt_remind_on`, indexed) has come are read;
each is handled as of today — only the step valid now is sent — and its day moves on to the
next step, in the same transaction as the messages. An open or scheduled desludging request
stops the reminders (their days still move on); recording a desludging done starts the next
cycle (`models.areas.schedule_lltt`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import reminder_button
from bot.conversation.base import label
from bot.keyboards import Markup, inline
from bot.outgoing import send_to_user
from bot.render import day, place
from bot.settings import Settings
from bot.texts import Html, Texts
from domain.dates import WIB
from domain.lifecycles import OPEN_REQUEST_STATES
from domain.reminders import (
    LlttRule,
    ReminderKind,
    lltt_next_day,
    lltt_officials_due,
    lltt_step,
)
from domain.vocabulary import Role
from models.areas import Ipal
from models.desludging import DesludgingRequest
from models.users import User
from scheduler.audience import holders_of, members_of
from scheduler.sweeps import BATCH


async def remind_lltt(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Queue the LLTT reminders due today; how many messages were queued."""
    today = now.astimezone(WIB).date()
    rule = settings.reminders.lltt_rule()
    queued = 0
    while ipals := await _due_ipals(session, today):
        stopped = await _with_open_request(session, [ipal.id for ipal in ipals])
        going = [ipal for ipal in ipals if ipal.id not in stopped]
        members = await members_of(
            session, ipal_ids=[ipal.id for ipal in going], kind=ReminderKind.LLTT
        )
        late = [ipal for ipal in going if lltt_officials_due(_due(ipal), today, rule)]
        officials = await holders_of(
            session,
            role=Role.KALURAHAN_OFFICIAL,
            area_ids={ipal.kalurahan_id for ipal in late},
        )
        for ipal in going:
            queued += await _remind_members(
                session, ipal, members.get(ipal.id, []), today, rule, now, not_before
            )
        for ipal in late:
            queued += await _tell_officials(
                session, ipal, officials.get(ipal.kalurahan_id, []), today, now, not_before
            )
        for ipal in ipals:
            ipal.lltt_remind_on = lltt_next_day(_due(ipal), today, rule)
        await session.flush()
    return queued


def _due(ipal: Ipal) -> date:
    if ipal.lltt_due_on is None:
        raise ValueError(f"IPAL {ipal.id} has a reminder day but no LLTT due date")
    return ipal.lltt_due_on


async def _due_ipals(session: AsyncSession, today: date) -> list[Ipal]:
    return list(
        await session.scalars(
            select(Ipal)
            .where(Ipal.lltt_remind_on <= today)
            .order_by(Ipal.lltt_remind_on, Ipal.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True, of=Ipal)
        )
    )


async def _with_open_request(session: AsyncSession, ipal_ids: list[int]) -> set[int]:
    found = await session.scalars(
        select(DesludgingRequest.ipal_id).where(
            DesludgingRequest.ipal_id.in_(ipal_ids),
            DesludgingRequest.state.in_(OPEN_REQUEST_STATES),
        )
    )
    return set(found)


async def _remind_members(
    session: AsyncSession,
    ipal: Ipal,
    members: list[User],
    today: date,
    rule: LlttRule,
    now: datetime,
    not_before: datetime,
) -> int:
    due = _due(ipal)
    step = lltt_step(due, today, rule)
    if step is None:
        return 0
    queued = 0
    for user in members:
        message = await send_to_user(
            session,
            user=user,
            key=f"lltt:{ipal.id}:{due.isoformat()}:{step}:{user.id}",
            compose=lambda texts: lltt_text(texts, ipal.name, due, today),
            markup=lambda texts: request_button(texts, ipal.id),
            now=now,
            not_before=not_before,
            bulk=True,
        )
        queued += message is not None
    return queued


def lltt_text(texts: Texts, name: str, due: date, today: date) -> Html:
    """The members' reminder: coming, due today, or overdue."""
    days = (due - today).days
    if days > 0:
        return texts("reminder-lltt-before", ipal=name, date=day(texts, due), days=days)
    if days == 0:
        return texts("reminder-lltt-due", ipal=name, date=day(texts, due))
    return texts("reminder-lltt-overdue", ipal=name, date=day(texts, due), days=-days)


def request_button(texts: Texts, ipal_id: int) -> Markup:
    """*Minta sedot lumpur*: the desludging request, its reason LLTT already chosen."""
    return inline(
        [[(label(texts, "reminder-lltt-request"), reminder_button("lltt", str(ipal_id)))]]
    )


async def _tell_officials(
    session: AsyncSession,
    ipal: Ipal,
    officials: list[User],
    today: date,
    now: datetime,
    not_before: datetime,
) -> int:
    due = _due(ipal)
    queued = 0
    for user in officials:
        message = await send_to_user(
            session,
            user=user,
            key=f"lltt-officials:{ipal.id}:{due.isoformat()}:{user.id}",
            compose=lambda texts: texts(
                "reminder-lltt-officials",
                place=place(texts, ipal),
                date=day(texts, due),
                days=(today - due).days,
            ),
            now=now,
            not_before=not_before,
        )
        queued += message is not None
    return queued
