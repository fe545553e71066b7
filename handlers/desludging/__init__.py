"""Desludging request: `/sedot` and the *Minta sedot lumpur* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.engine import register_flow
from bot.conversation.ipal import start_flow
from bot.menus import Action
from bot.turn import Turn, handler
from handlers.desludging import flow as desludging
from handlers.menu import on_menu


@handler
async def desludging_command(turn: Turn) -> None:
    """Start a desludging request."""
    await start_desludging(turn)


async def start_desludging(turn: Turn) -> None:
    """Ask why desludging is needed, or show the request already open for the IPAL."""
    await start_flow(turn, desludging.DESLUDGING, desludging.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    register_flow(desludging.DESLUDGING)
    on_menu(Action.DESLUDGING, start_desludging)
    return [CommandHandler(["sedot", "desludge"], desludging_command, filters.ChatType.PRIVATE)]
