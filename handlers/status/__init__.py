"""IPAL status: `/status` and the *Status IPAL* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.ipal import member_ipals
from bot.menus import Action
from bot.turn import Turn, handler
from domain.access import Deed
from handlers.menu import on_menu
from handlers.status.view import status_text


@handler
async def status_command(turn: Turn) -> None:
    """Show the status of the member's IPALs."""
    await show_status(turn)


async def show_status(turn: Turn) -> None:
    """One message per IPAL the member belongs to."""
    ipals = await member_ipals(turn, Deed.STATUS)
    for ipal in ipals or []:
        await turn.reply(await status_text(turn, ipal))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    on_menu(Action.STATUS, show_status)
    return [CommandHandler("status", status_command, filters.ChatType.PRIVATE)]
