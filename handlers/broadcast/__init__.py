"""Notices for admins: `/siaran` and the *Siaran* menu button, and the notices' buttons."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Kind
from bot.conversation.base import begin_flow
from bot.features import Feature
from bot.keyboards import inline
from bot.menus import MenuEntry
from bot.turn import Turn, handler, require_joined
from domain.vocabulary import Role
from handlers.broadcast.actions import is_admin, press_notice, press_rsvp, recent_text
from handlers.broadcast.flow import BROADCAST


@handler
async def notice_command(turn: Turn) -> None:
    """Show the admin's last notices and begin a new one."""
    await start_notice(turn)


async def start_notice(turn: Turn) -> None:
    user = await require_joined(turn)
    if user is None:
        return
    if not is_admin(user):
        await turn.reply(turn.texts("notice-not-allowed"))
        return
    recent = await recent_text(turn, user)
    if recent is not None:
        text, rows = recent
        await turn.reply(text, markup=inline(rows) if rows else None)
    await begin_flow(turn, BROADCAST)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler(["siaran", "notice"], notice_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(press_rsvp, pattern=rf"^1\|{Kind.RSVP}\|"),
        CallbackQueryHandler(press_notice, pattern=rf"^1\|{Kind.NOTICE}\|"),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="broadcast",
        handlers=handlers,
        flows=(BROADCAST,),
        menu=(
            MenuEntry(
                action="notice",
                command="siaran",
                description="command-notice",
                label="menu-notice",
                start=start_notice,
                roles=frozenset({Role.ADMIN}),
            ),
        ),
    )
