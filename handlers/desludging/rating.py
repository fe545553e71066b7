"""The requesting member rates a desludging done: 1–5 stars, then a checklist of one tap each
(no spillage, protective gear, site left clean), on the message that asked."""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CallbackData, Kind, rating_button
from bot.conversation.base import label
from bot.keyboards import EMPTY_INLINE, Markup, inline
from bot.outgoing import send_to_user
from bot.texts import Html, Texts
from bot.turn import Turn, handler
from domain.access import Deed, may
from domain.lifecycles import RequestState
from handlers.desludging.lifecycle import refuse
from models.areas import place_of
from models.desludging import (
    CHECKLIST,
    DesludgingRating,
    DesludgingRequest,
    find_rating,
    find_request,
    ipal_members,
    is_rating_message,
    rate_request,
    rating_key,
    tick,
)
from models.users import grants_of

STARS = range(1, 6)
STAR, TICK, FINISH = "s", "t", "end"


async def ask_rating(turn: Turn, request: DesludgingRequest) -> None:
    """Ask the member who requested it, while they still belong to the IPAL, to rate it."""
    members = await ipal_members(turn.session, ipal_id=request.ipal_id)
    if request.requester_id not in {member.id for member in members}:
        return
    await send_to_user(
        turn.session,
        user=request.requester,
        key=rating_key(request.id),
        compose=lambda texts: texts("desludging-rate-ask", number=request.id),
        markup=partial(stars_row_markup, request.id),
        now=turn.now,
    )


def stars_row(texts: Texts, request_id: int, current: int | None = None) -> list[tuple[str, str]]:
    return [
        (
            label(
                texts,
                "desludging-rate-star-chosen" if n == current else "desludging-rate-star",
                count=n,
            ),
            rating_button(request_id, STAR, str(n)),
        )
        for n in STARS
    ]


def stars_row_markup(request_id: int, texts: Texts) -> Markup:
    return inline([stars_row(texts, request_id)])


def checklist_markup(texts: Texts, rating: DesludgingRating) -> Markup:
    ticks = [
        [
            (
                label(
                    texts,
                    "desludging-check-on" if getattr(rating, item) else "desludging-check-off",
                    item=texts(f"desludging-check-{item}"),
                ),
                rating_button(rating.request_id, TICK, item),
            )
        ]
        for item in CHECKLIST
    ]
    finish = [(label(texts, "desludging-rate-finish"), rating_button(rating.request_id, FINISH))]
    return inline([stars_row(texts, rating.request_id, rating.stars), *ticks, finish])


@handler
async def press_rating(turn: Turn) -> None:
    """Store the stars or a checklist tap of the member who asked for the desludging, on the
    message that asked them; anybody or anything else is refused."""
    pressed = await rated_request(turn)
    if pressed is None:
        return
    request, message, action, value = pressed
    rating = await rating_after(turn, request, action, value)
    if rating is None:
        await refuse(turn, Deed.RATE_DESLUDGING, str(request.id))
    elif action == FINISH:
        await edit(turn, message, turn.texts("desludging-rate-thanks", stars=rating.stars))
    else:
        text = turn.texts("desludging-rate-checklist", number=request.id, stars=rating.stars)
        await edit(turn, message, text, checklist_markup(turn.texts, rating))


async def rating_after(
    turn: Turn, request: DesludgingRequest, action: str, value: str
) -> DesludgingRating | None:
    """The rating once the press is stored; None for a press that makes no sense (a tap or
    *Selesai* before any stars, an unknown star or item)."""
    if action == STAR and value.isascii() and value.isdigit() and int(value) in STARS:
        return await rate_request(
            turn.session,
            request_id=request.id,
            stars=int(value),
            rated_by_id=request.requester_id,
            now=turn.now,
        )
    rating = await find_rating(turn.session, request_id=request.id)
    if rating is None or action not in (TICK, FINISH):
        return None
    if action == TICK:
        if value not in CHECKLIST:
            return None
        tick(rating, value, now=turn.now)
    return rating


async def rated_request(turn: Turn) -> tuple[DesludgingRequest, Message, str, str] | None:
    """The done request its requester rates on its own rating message, with the action."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    message = query.message if query and isinstance(query.message, Message) else None
    raw_id = data.args[0] if data is not None and data.args else ""
    user = turn.user
    request = None
    if raw_id.isascii() and raw_id.isdigit():
        request = await find_request(turn.session, request_id=int(raw_id), for_update=True)
    allowed = (
        data is not None
        and len(data.args) == 3
        and message is not None
        and user is not None
        and request is not None
        and request.requester_id == user.id
        and request.state == RequestState.DONE
        and may(grants_of(user), Deed.RATE_DESLUDGING, place_of(request.ipal))
        and await is_rating_message(
            turn.session,
            request_id=request.id,
            chat_id=message.chat.id,
            message_id=message.message_id,
        )
    )
    if not allowed or data is None or message is None or request is None:
        await refuse(turn, Deed.RATE_DESLUDGING, raw_id or "?")
        return None
    return request, message, data.args[1], data.args[2]


async def edit(turn: Turn, message: Message, text: Html, markup: Markup | None = None) -> None:
    await turn.call(
        "editMessageText",
        {
            "message_id": message.message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": markup or EMPTY_INLINE,
        },
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(press_rating, pattern=rf"^1\|{Kind.RATING}\|")]
