"""Monthly report: `/lapor` and the *Laporan bulanan* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.engine import register_flow
from bot.conversation.ipal import start_flow
from bot.menus import Action
from bot.turn import Turn, handler
from handlers.menu import on_menu
from handlers.report import flow as report


@handler
async def report_command(turn: Turn) -> None:
    """Start this month's report."""
    await start_report(turn)


async def start_report(turn: Turn) -> None:
    """Ask the first question of the monthly report the member's IPAL still needs."""
    await start_flow(turn, report.REPORT, report.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    register_flow(report.REPORT)
    on_menu(Action.REPORT, start_report)
    return [CommandHandler(["lapor", "report"], report_command, filters.ChatType.PRIVATE)]
