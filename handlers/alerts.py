"""Buttons on alerts (*Tindak lanjuti*, *Selesai*): they answer, and change nothing yet."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import Kind
from bot.features import Feature
from bot.turn import Turn, handler, require_joined


@handler
async def press_alert_button(turn: Turn) -> None:
    """Tell the official that following up alerts in the bot is not available yet."""
    if await require_joined(turn) is None:
        return
    await turn.answer_button(turn.texts("alert-action-unavailable"), alert=True)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(press_alert_button, pattern=rf"^1\|{Kind.ALERT}\|")]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(name="alerts", handlers=handlers)
