"""Problem report: `/masalah` and the *Lapor masalah* menu button."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.conversation.ipal import start_flow
from bot.features import Feature
from bot.menus import MenuEntry
from bot.turn import Turn, handler
from handlers.problem import flow as problem
from models.users import IPAL_ROLES


@handler
async def problem_command(turn: Turn) -> None:
    """Start a problem report."""
    await start_problem(turn)


async def start_problem(turn: Turn) -> None:
    """Ask what is wrong at the member's IPAL (after asking which IPAL, for a member of several)."""
    await start_flow(turn, problem.PROBLEM, problem.entry)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler(["masalah", "problem"], problem_command, filters.ChatType.PRIVATE)]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="problem",
        handlers=handlers,
        flows=(problem.PROBLEM,),
        menu=(
            MenuEntry(
                action="problem",
                command="masalah",
                description="command-problem",
                label="menu-problem",
                start=start_problem,
                roles=IPAL_ROLES,
            ),
        ),
    )
