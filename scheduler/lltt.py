"""LLTT reminders: the members before, on and after the due date; the kalurahan officials once
per cycle when it is long overdue.

Only IPALs whose stored reminder day (`ipals.lltt_remind_on`, indexed) has come are read;
each is handled as of today — only the step valid now is sent — and its day moves on to the
next step, in the same transaction as the messages. An open or scheduled desludging request
stops the reminders (their days still move on); recording a desludging done starts the next
cycle (`models.areas.schedule_lltt`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import reminder_button
from bot.conversation.base import label
from bot.keyboards import Markup, inline
from bot.outgoing import Letter, send_to_users
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
from scheduler.audience import Reachable, holders_of, members_of
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
        officials = (
            await holders_of(
                session,
                role=Role.KALURAHAN_OFFICIAL,
                area_ids={ipal.kalurahan_id for ipal in late},
            )
            if late
            else {}
        )
        letters: list[Letter] = []
        for ipal in going:
            letters += _members_letters(ipal, members.get(ipal.id, []), today, rule)
        queued += len(
            await send_to_users(session, letters, now=now, not_before=not_before, bulk=True)
        )
        letters = []
        for ipal in late:
            letters += _officials_letters(ipal, officials.get(ipal.kalurahan_id, []), today)
        queued += len(await send_to_users(session, letters, now=now, not_before=not_before))
        await _move_on(session, {ipal.id: lltt_next_day(_due(ipal), today, rule) for ipal in ipals})
    return queued


async def _move_on(session: AsyncSession, next_days: dict[int, date]) -> None:
    """Store each IPAL's next reminder day: one UPDATE per day (most share one)."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for ipal_id, next_day in next_days.items():
        by_day[next_day].append(ipal_id)
    for next_day, ids in by_day.items():
        await session.execute(
            update(Ipal)
            .where(Ipal.id.in_(ids))
            .values(lltt_remind_on=next_day)
            .execution_options(synchronize_session=False)
        )


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


def _members_letters(
    ipal: Ipal, members: list[Reachable], today: date, rule: LlttRule
) -> list[Letter]:
    due = _due(ipal)
    step = lltt_step(due, today, rule)
    if step is None:
        return []
    name, ipal_id = ipal.name, ipal.id

    def compose(texts: Texts) -> Html:
        return lltt_text(texts, name, due, today)

    def markup(texts: Texts) -> Markup:
        return request_button(texts, ipal_id)

    return [
        Letter(
            user.telegram_id,
            user.language,
            f"lltt:{ipal_id}:{due.isoformat()}:{step}:{user.id}",
            compose,
            markup,
        )
        for user in members
    ]


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


def _officials_letters(ipal: Ipal, officials: list[Reachable], today: date) -> list[Letter]:
    due = _due(ipal)

    def compose(texts: Texts) -> Html:
        return texts(
            "reminder-lltt-officials",
            place=place(texts, ipal),
            date=day(texts, due),
            days=(today - due).days,
        )

    return [
        Letter(
            user.telegram_id,
            user.language,
            f"lltt-officials:{ipal.id}:{due.isoformat()}:{user.id}",
            compose,
        )
        for user in officials
    ]
