"""Buttons on alerts (*Tindak lanjuti*, *Selesai*): they answer, and change nothing yet."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CallbackData, Kind
from bot.turn import Turn, handler, require_joined
from domain.access import Deed, may
from domain.vocabulary import Role
from models.alerts import Alert, find_alert
from models.areas import load_ipal, place_of
from models.users import User, grants_of


@handler
async def press_alert_button(turn: Turn) -> None:
    """Tell the official that following up alerts in the bot is not available yet."""
    user = await require_joined(turn)
    if user is None:
        return
    if not await may_follow_up(turn, user):
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    await turn.answer_button(turn.texts("alert-action-unavailable"), alert=True)


async def may_follow_up(turn: Turn, user: User) -> bool:
    """Whether the pressed button names an alert of an IPAL the user may still see it for."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    if data is None or len(data.args) != 2 or not data.args[1].isdigit():
        return False
    alert = await find_alert(turn.session, alert_id=int(data.args[1]))
    if alert is None:
        return False
    ipal = await load_ipal(turn.session, ipal_id=alert.ipal_id)
    return ipal is not None and may(grants_of(user), deed_for(alert), place_of(ipal))


def deed_for(alert: Alert) -> Deed:
    """An operator acts on the desludging request; everybody else follows up the alert."""
    return Deed.HANDLE_DESLUDGING if alert.reason == Role.OPERATOR else Deed.SEE_ALERTS


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(press_alert_button, pattern=rf"^1\|{Kind.ALERT}\|")]
