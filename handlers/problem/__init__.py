"""Problem report: `/masalah` and the *Lapor masalah* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.engine import register_flow
from bot.conversation.ipal import start_flow
from bot.menus import Action
from bot.turn import Turn, handler
from handlers.menu import on_menu
from handlers.problem import flow as problem


@handler
async def problem_command(turn: Turn) -> None:
    """Start a problem report."""
    await start_problem(turn)


async def start_problem(turn: Turn) -> None:
    """Ask what is wrong at the member's IPAL (after asking which IPAL, for a member of several)."""
    await start_flow(turn, problem.PROBLEM, problem.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    register_flow(problem.PROBLEM)
    on_menu(Action.PROBLEM, start_problem)
    return [CommandHandler(["masalah", "problem"], problem_command, filters.ChatType.PRIVATE)]
