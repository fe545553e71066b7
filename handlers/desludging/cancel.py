"""The KSM withdraws its own request from `/status`, before it is done: a button, then a
confirmation."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CallbackData, Kind, desludging_button
from bot.conversation.base import label
from bot.keyboards import EMPTY_INLINE, Markup, inline
from bot.render import person
from bot.texts import Html, Texts
from bot.turn import Turn, handler
from domain.access import Deed
from handlers.desludging.lifecycle import acting_on, closed_text, is_open, refuse, tell_everyone
from models.desludging import DesludgingRequest, cancel_request

ASK, CONFIRM, KEEP = "x", "xy", "xn"


def cancel_markup(texts: Texts, request: DesludgingRequest) -> Markup | None:
    """The *Batalkan* button under the IPAL's status while its request is open."""
    if not is_open(request):
        return None
    return inline(
        [
            [
                (
                    label(texts, "desludging-cancel", number=request.id),
                    desludging_button(ASK, request.id),
                )
            ]
        ]
    )


@handler
async def press_cancel(turn: Turn) -> None:
    """Ask to confirm, cancel, or keep the request, for a member of its IPAL."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    message = query.message if query and isinstance(query.message, Message) else None
    if data is None or len(data.args) != 2 or message is None:
        await refuse(turn, Deed.CANCEL_DESLUDGING, "?")
        return
    action, raw_id = data.args
    request = await acting_on(turn, Deed.CANCEL_DESLUDGING, raw_id)
    if request is None:
        return
    if not is_open(request):
        await turn.answer_button(closed_text(turn.texts, request), alert=True)
        return
    if action == ASK:
        await turn.reply(
            turn.texts("desludging-cancel-confirm", number=request.id),
            markup=confirm_markup(turn.texts, request.id),
        )
    elif action == KEEP:
        await edit(turn, message, turn.texts("desludging-cancel-kept", number=request.id))
    else:
        await cancel(turn, message, request)


async def cancel(turn: Turn, message: Message, request: DesludgingRequest) -> None:
    cancel_request(request, now=turn.now)
    who = person(turn.user) if turn.user is not None else ""
    await tell_everyone(
        turn,
        request,
        "cancelled",
        lambda texts: texts(
            "desludging-told-cancelled", number=request.id, ipal=request.ipal.name, who=who
        ),
    )
    await edit(turn, message, turn.texts("desludging-cancelled-ok", number=request.id))


def confirm_markup(texts: Texts, request_id: int) -> Markup:
    return inline(
        [
            [
                (label(texts, "desludging-cancel-yes"), desludging_button(CONFIRM, request_id)),
                (label(texts, "desludging-cancel-no"), desludging_button(KEEP, request_id)),
            ]
        ]
    )


async def edit(turn: Turn, message: Message, text: Html) -> None:
    await turn.call(
        "editMessageText",
        {
            "message_id": message.message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": EMPTY_INLINE,
        },
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    actions = "|".join((ASK, CONFIRM, KEEP))
    return [CallbackQueryHandler(press_cancel, pattern=rf"^1\|{Kind.DESLUDGING}\|({actions})\|")]
