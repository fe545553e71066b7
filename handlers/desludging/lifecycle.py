"""What every step of a desludging request shares: who may act on it (asked of the database
through `domain.access`, never of the button), the refusal of anybody else, and telling the
KSM and those alerted about the request what happened."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.outgoing import send_to_user
from bot.render import day, place
from bot.texts import EMPTY, Html, Texts
from bot.turn import Turn
from domain.access import Deed, may
from domain.lifecycles import RequestState
from domain.lltt import next_lltt_due
from domain.volume import format_volume
from models.alerts import Alert
from models.areas import place_of
from models.audit import record_audit
from models.desludging import DesludgingRequest, find_request, ipal_members
from models.users import User, grants_of


async def acting_on(
    turn: Turn, deed: Deed, raw_id: str, *, tell: bool = True
) -> DesludgingRequest | None:
    """The request (locked for the change) when the user may do `deed` on its IPAL; None after
    refusing a stranger, a forged id, or somebody whose roles don't allow it (`tell`: say so
    here, else the caller does)."""
    user = turn.user
    request = None
    if user is not None and raw_id.isascii() and raw_id.isdigit():
        request = await find_request(turn.session, request_id=int(raw_id), for_update=True)
    if user is None or request is None or not may(grants_of(user), deed, place_of(request.ipal)):
        await refuse(turn, deed, raw_id, tell=tell)
        return None
    return request


async def refuse(turn: Turn, deed: Deed, subject: str, *, tell: bool = True) -> None:
    """Say plainly that this is not the user's to do; change nothing but the audit log."""
    query = turn.update.callback_query
    await record_audit(
        turn.session,
        at=turn.now,
        actor_user_id=turn.user.id if turn.user is not None else None,
        action="desludging.refused",
        subject=f"desludging:{subject}"[:64],
        details={
            "deed": deed.value,
            "telegram_id": turn.telegram_id,
            "data": query.data if query is not None and query.data else "",
        },
    )
    if tell:
        await say(turn, turn.texts("desludging-refused"))


async def say(turn: Turn, text: Html) -> None:
    """The answer of a pressed button as a pop-up, or a message after a command or a typed text."""
    if turn.update.callback_query is not None:
        await turn.answer_button(text, alert=True)
    else:
        await turn.reply(text)


def closed_text(texts: Texts, request: DesludgingRequest) -> Html:
    """Why nothing can be done on this request any more."""
    return texts(
        "desludging-closed",
        number=request.id,
        state=texts(f"request-state-{request.state}"),
    )


def is_open(request: DesludgingRequest) -> bool:
    return request.state in (RequestState.REQUESTED, RequestState.SCHEDULED)


async def tell_everyone(
    turn: Turn, request: DesludgingRequest, event: str, compose: Callable[[Texts], Html]
) -> int:
    """Tell the IPAL's members and everybody alerted about the request (the one acting
    excepted) what just happened, once per `event`; returns how many were told."""
    people = {user.id: user for user in await ipal_members(turn.session, ipal_id=request.ipal_id)}
    people.update({user.id: user for user in await alerted_about(turn, request)})
    if turn.user is not None:
        people.pop(turn.user.id, None)
    told = 0
    for user in people.values():
        key = f"desludging:{request.id}:{event}:{user.id}"
        told += (
            await send_to_user(turn.session, user=user, key=key, compose=compose, now=turn.now)
            is not None
        )
    return told


async def alerted_about(turn: Turn, request: DesludgingRequest) -> list[User]:
    """Who got an alert about the request and can still be reached."""
    query = (
        select(User)
        .join(Alert, Alert.recipient_id == User.id)
        .where(
            Alert.subject == f"desludging:{request.id}",
            User.is_blocked.is_(False),
            User.deactivated_at.is_(None),
        )
    )
    return list(await turn.session.scalars(query))


def request_line(texts: Texts, request: DesludgingRequest) -> Html:
    """`#3 IPAL … — scheduled 20 November 2026 (Tim A)`, as the queue and the news show it."""
    if request.state == RequestState.SCHEDULED and request.scheduled_on is not None:
        when = texts("desludging-when-scheduled", date=day(texts, request.scheduled_on))
    else:
        when = texts("desludging-when-wanted", date=day(texts, request.preferred_date))
    return texts(
        "desludging-line",
        number=request.id,
        place=place(texts, request.ipal),
        reason=texts(f"desludging-reason-{request.reason}"),
        when=when,
        team=texts("desludging-team", team=request.team) if request.team else EMPTY,
    )


def done_text(texts: Texts, request: DesludgingRequest, interval_months: int) -> Html:
    """What the KSM is told once the desludging is done, with the next LLTT date."""
    due = next_lltt_due(
        last_desludged_on=request.ipal.last_desludged_on,
        built_year=request.ipal.built_year,
        interval_months=request.ipal.desludging_interval_months or interval_months,
    )
    return texts(
        "desludging-told-done",
        number=request.id,
        ipal=request.ipal.name,
        date=day(texts, request.done_on) if request.done_on else "",
        volume=format_volume(request.volume_m3, texts.language) if request.volume_m3 else "",
        next=day(texts, due) if due else texts("status-lltt-unknown"),
    )
