"""Buttons on alerts (*Tindak lanjuti*, *Selesai*): they answer, and change nothing yet."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CallbackData, Kind
from bot.turn import Turn, handler
from domain.access import Deed, may
from domain.vocabulary import Role
from models.alerts import Alert, find_pressed_alert
from models.areas import load_ipal, place_of
from models.users import User, grants_of

ACTIONS = frozenset({"ack", "done"})


@handler
async def press_alert_button(turn: Turn) -> None:
    """Tell the alert's recipient that following it up in the bot is not available yet;
    anybody else, the button's data on another message, or a recipient who may no longer see
    the IPAL's alerts gets a plain refusal."""
    alert = await pressed_alert(turn)
    if alert is None or turn.user is None or not await may_follow_up(turn, turn.user, alert):
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    await turn.answer_button(turn.texts("alert-action-unavailable"), alert=True)


async def pressed_alert(turn: Turn) -> Alert | None:
    """The alert whose button its own recipient pressed on the alert's own message."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    message = query.message if query and isinstance(query.message, Message) else None
    if turn.user is None or data is None or message is None or len(data.args) != 2:
        return None
    action, alert_id = data.args
    if action not in ACTIONS or not (alert_id.isascii() and alert_id.isdigit()):
        return None
    return await find_pressed_alert(
        turn.session,
        alert_id=int(alert_id),
        recipient_id=turn.user.id,
        chat_id=message.chat.id,
        message_id=message.message_id,
    )


async def may_follow_up(turn: Turn, user: User, alert: Alert) -> bool:
    """Whether the user's roles still let them act on the alert's IPAL."""
    ipal = await load_ipal(turn.session, ipal_id=alert.ipal_id)
    return ipal is not None and may(grants_of(user), deed_for(alert), place_of(ipal))


def deed_for(alert: Alert) -> Deed:
    """An operator acts on the desludging request; everybody else follows up the alert."""
    return Deed.HANDLE_DESLUDGING if alert.reason == Role.OPERATOR else Deed.SEE_ALERTS


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(press_alert_button, pattern=rf"^1\|{Kind.ALERT}\|")]
