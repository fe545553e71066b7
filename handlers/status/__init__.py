"""IPAL status: `/status` and the *Status IPAL* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.ipal import member_ipals
from bot.features import Feature
from bot.menus import MenuEntry
from bot.turn import Turn, handler
from domain.access import Deed
from handlers.desludging.cancel import cancel_markup
from handlers.status.view import status_text
from models.desludging import open_request
from models.users import IPAL_ROLES


@handler
async def status_command(turn: Turn) -> None:
    """Show the status of the member's IPALs."""
    await show_status(turn)


async def show_status(turn: Turn) -> None:
    """One message per IPAL the member belongs to."""
    ipals = await member_ipals(turn, Deed.STATUS)
    for ipal in ipals or []:
        request = await open_request(turn.session, ipal_id=ipal.id)
        markup = cancel_markup(turn.texts, request) if request is not None else None
        await turn.reply(await status_text(turn, ipal), markup=markup)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("status", status_command, filters.ChatType.PRIVATE)]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="status",
        handlers=handlers,
        menu=(
            MenuEntry(
                action="status",
                command="status",
                description="command-status",
                label="menu-status",
                start=show_status,
                roles=IPAL_ROLES,
            ),
        ),
    )
