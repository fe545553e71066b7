"""Monthly-report reminders: the members of every IPAL whose report for the month is missing,
on day 25, on day 1 of the next month and on the last day of the grace period.

The IPALs without the report are found first (one probe of the reports' index per IPAL), then
their members, a batch of IPALs at a time. Each step is handled once for everybody (a
`sweep_marks` row, committed with the messages); after downtime only the step valid today is
sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import reminder_button
from bot.conversation.base import label
from bot.keyboards import Markup, inline
from bot.outgoing import Compose, Letter, send_to_users
from bot.render import day, month
from bot.settings import Settings
from bot.texts import Texts
from domain.dates import WIB
from domain.reminders import MonthlyStep, ReminderKind, monthly_step, reporting_ends
from models.areas import Ipal
from models.reminders import claim_step
from models.reports import CURRENT, MonthlyReport
from scheduler.audience import members_of
from scheduler.sweeps import BATCH


def missing_report(period: date) -> ColumnElement[bool]:
    """A condition on `Ipal`: no report in force for `period`."""
    return ~exists().where(
        MonthlyReport.ipal_id == Ipal.id,
        MonthlyReport.period == period,
        MonthlyReport.status == CURRENT,
    )


async def remind_monthly(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Queue the monthly-report reminders of today's step, once; how many were queued."""
    step = monthly_step(
        now.astimezone(WIB).date(),
        reminder_day=settings.reminders.monthly_day,
        grace_days=settings.reports.grace_days,
    )
    if step is None:
        return 0
    if not await claim_step(session, key=f"monthly:{step.period:%Y-%m}:{step.day}", now=now):
        return 0
    deadline = reporting_ends(step.period, grace_days=settings.reports.grace_days)
    missing = list(
        await session.execute(
            select(Ipal.id, Ipal.name).where(missing_report(step.period)).order_by(Ipal.id)
        )
    )
    queued = 0
    for start in range(0, len(missing), BATCH):
        ipals = missing[start : start + BATCH]
        members = await members_of(
            session, ipal_ids=[ipal_id for ipal_id, _ in ipals], kind=ReminderKind.MONTHLY
        )
        letters: list[Letter] = []
        for ipal_id, name in ipals:
            compose = _text(step, name, deadline - timedelta(days=1))
            markup = _button(ipal_id)
            letters += [
                Letter(
                    user.telegram_id,
                    user.language,
                    f"monthly:{ipal_id}:{step.period:%Y-%m}:{step.day:%d}:{user.id}",
                    compose,
                    markup,
                )
                for user in members.get(ipal_id, [])
            ]
        sent = await send_to_users(session, letters, now=now, not_before=not_before, bulk=True)
        queued += len(sent)
    return queued


def _text(step: MonthlyStep, name: str, last_day: date) -> Compose:
    return lambda texts: texts(
        "reminder-monthly",
        month=month(texts, step.period),
        ipal=name,
        deadline=day(texts, last_day),
    )


def _button(ipal_id: int) -> Callable[[Texts], Markup]:
    def markup(texts: Texts) -> Markup:
        start = label(texts, "reminder-monthly-start")
        return inline([[(start, reminder_button("report", str(ipal_id)))]])

    return markup
