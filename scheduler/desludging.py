"""The day before a scheduled desludging: the IPAL's members and the operator are reminded
(the date, the team, what to prepare)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outgoing import Letter, send_to_users
from bot.render import day, place
from bot.settings import Settings
from bot.texts import Html, Texts
from domain.dates import WIB
from domain.lifecycles import RequestState
from domain.reminders import ReminderKind
from domain.vocabulary import Role
from models.alerts import Alert
from models.areas import load_ipal
from models.desludging import DesludgingRequest
from scheduler.audience import Reachable, holders_of, members_of


async def remind_desludging_tomorrow(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Queue the reminders of the desludgings scheduled for tomorrow; how many were queued."""
    tomorrow = now.astimezone(WIB).date() + timedelta(days=1)
    requests = list(
        await session.scalars(
            select(DesludgingRequest)
            .where(
                DesludgingRequest.scheduled_on == tomorrow,
                DesludgingRequest.state == RequestState.SCHEDULED,
            )
            .order_by(DesludgingRequest.id)
        )
    )
    if not requests:
        return 0
    kind = ReminderKind.DESLUDGING_TOMORROW
    members = await members_of(session, ipal_ids=[r.ipal_id for r in requests], kind=kind)
    operators = [
        user
        for users in (await holders_of(session, role=Role.OPERATOR, kind=kind)).values()
        for user in users
    ]
    letters: list[Letter] = []
    for request in requests:
        await load_ipal(session, ipal_id=request.ipal_id)  # its areas, for the text
        recipients = members.get(request.ipal_id, []) + await _operators_of(
            session, request, operators
        )
        compose = partial(tomorrow_text, request)
        letters += [
            Letter(
                user.telegram_id,
                user.language,
                f"desludging-tomorrow:{request.id}:{tomorrow.isoformat()}:{user.id}",
                compose,
            )
            for user in {user.id: user for user in recipients}.values()
        ]
    sent = await send_to_users(session, letters, now=now, not_before=not_before, bulk=True)
    return len(sent)


async def _operators_of(
    session: AsyncSession, request: DesludgingRequest, operators: list[Reachable]
) -> list[Reachable]:
    """The operators alerted about the request (all operators when none was)."""
    alerted = set(
        await session.scalars(
            select(Alert.recipient_id).where(
                Alert.subject == f"desludging:{request.id}", Alert.reason == Role.OPERATOR.value
            )
        )
    )
    chosen = [user for user in operators if user.id in alerted]
    return chosen or operators


def tomorrow_text(request: DesludgingRequest, texts: Texts) -> Html:
    scheduled = request.scheduled_on
    return texts(
        "reminder-desludging-tomorrow",
        place=place(texts, request.ipal),
        date=day(texts, scheduled) if scheduled else "",
        team=request.team or texts("reminder-team-unknown"),
    )
