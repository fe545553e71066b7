"""Buttons on alerts (*Tindak lanjuti*, *Selesai*): they answer, and change nothing yet."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CallbackData, Kind
from bot.turn import Turn, handler
from models.alerts import Alert, find_pressed_alert

ACTIONS = frozenset({"ack", "done"})


@handler
async def press_alert_button(turn: Turn) -> None:
    """Tell the alert's recipient that following it up in the bot is not available yet;
    anybody else, or the button's data on another message, gets a plain refusal."""
    if await pressed_alert(turn) is None:
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


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(press_alert_button, pattern=rf"^1\|{Kind.ALERT}\|")]
