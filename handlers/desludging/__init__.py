"""Desludging: the member's request (`/sedot`, *Minta sedot lumpur*), the operator's
scheduling, rejection and completion (buttons on the alert, `/jadwal`), the member's
cancellation from `/status` and rating once it is done."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.ipal import start_flow
from bot.features import Feature
from bot.menus import MenuEntry
from bot.turn import Turn, handler
from handlers.desludging import cancel, operator, rating
from handlers.desludging import flow as desludging
from handlers.desludging.ops_flow import FLOWS
from models.users import IPAL_ROLES


@handler
async def desludging_command(turn: Turn) -> None:
    """Start a desludging request."""
    await start_desludging(turn)


async def start_desludging(turn: Turn) -> None:
    """Ask why desludging is needed, or show the request already open for the IPAL."""
    await start_flow(turn, desludging.DESLUDGING, desludging.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler(["sedot", "desludge"], desludging_command, filters.ChatType.PRIVATE),
        *operator.handlers(),
        *cancel.handlers(),
        *rating.handlers(),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="desludging",
        handlers=handlers,
        flows=(desludging.DESLUDGING, *FLOWS),
        menu=(
            MenuEntry(
                action="desludging",
                command="sedot",
                description="command-desludging",
                label="menu-desludging",
                start=start_desludging,
                roles=IPAL_ROLES,
            ),
            MenuEntry(
                action="queue",
                command="jadwal",
                description="command-desludging-queue",
                label="menu-desludging-queue",
                start=operator.show_queue,
                roles=operator.OPERATOR_ROLES,
            ),
        ),
    )
