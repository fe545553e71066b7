"""Monthly report: `/lapor` and the *Laporan bulanan* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.ipal import start_flow
from bot.features import Feature
from bot.menus import MenuEntry
from bot.turn import Turn, handler
from handlers.report import flow as report
from models.users import IPAL_ROLES


@handler
async def report_command(turn: Turn) -> None:
    """Start this month's report."""
    await start_report(turn)


async def start_report(turn: Turn) -> None:
    """Ask the first question of the monthly report the member's IPAL still needs."""
    await start_flow(turn, report.REPORT, report.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler(["lapor", "report"], report_command, filters.ChatType.PRIVATE)]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="report",
        handlers=handlers,
        flows=(report.REPORT,),
        menu=(
            MenuEntry(
                action="report",
                command="lapor",
                description="command-report",
                label="menu-report",
                start=start_report,
                roles=IPAL_ROLES,
            ),
        ),
    )
