"""Follow-up of problems by officials: the buttons on alerts, `/tindaklanjut` (*Laporan
masuk*), and the reporter's answer to the check-back.

Every press is answered at once (the turn queues the answer first), then checked on the
server before anything is done (`handlers.follow_up.act`).
"""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Kind
from bot.conversation.base import begin_flow
from bot.features import Feature
from bot.follow_up import FIXED, NOT_FIXED
from bot.menus import MenuEntry
from bot.turn import Turn, handler, require_joined
from domain.lifecycles import ProblemAction
from domain.vocabulary import Role
from handlers.follow_up import flow
from handlers.follow_up.act import (
    Press,
    allowed_problem,
    already_done,
    pressed_message,
    refuse,
)
from handlers.follow_up.check_back import answer_check_back
from handlers.follow_up.listing import show_list, show_problem
from models.users import roles_of

FOLLOW_UP_ROLES = frozenset({Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL, Role.ADMIN})
LIST_BUTTONS = (f"1|{Kind.FOLLOW_UP}|view|0|", f"1|{Kind.FOLLOW_UP}|page|")
ACTIONS = {action.value: action for action in (ProblemAction.ACKNOWLEDGE, ProblemAction.RESOLVE)}


@handler
async def follow_up_command(turn: Turn) -> None:
    """List the problems of the official's area that still need somebody to act."""
    await start_list(turn)


async def start_list(turn: Turn) -> None:
    user = await require_joined(turn)
    if user is None:
        return
    if not roles_of(user) & FOLLOW_UP_ROLES:
        await refuse(turn, "/tindaklanjut", "no follow-up role")
        await turn.reply(turn.texts("follow-up-refused"))
        return
    await show_list(turn, user)


@handler
async def press_follow_up(turn: Turn) -> None:
    """Act on a follow-up button: acknowledge, resolve, open a problem, turn a page, or answer
    the check-back."""
    query = turn.update.callback_query
    raw = query.data if query else None
    press = Press.of(turn)
    if press is None:
        await refuse(turn, raw, "malformed")
        return
    if press.action in (FIXED, NOT_FIXED):
        await answer_check_back(turn, press, raw)
    elif press.action == "page":
        await turn_page(turn, press, raw)
    elif press.action == "view" or press.action in ACTIONS:
        await act_on_problem(turn, press, raw)
    else:
        await refuse(turn, raw, "unknown action")


async def turn_page(turn: Turn, press: Press, raw: str | None) -> None:
    """Show another page in place of the list pressed (only a list of the presser's own)."""
    message = pressed_message(turn)
    if turn.user is None or message is None or not roles_of(turn.user) & FOLLOW_UP_ROLES:
        await refuse(turn, raw, "no follow-up role")
        return
    if not is_list(message):
        await refuse(turn, raw, "not a list")
        return
    await turn.answer_button()
    await show_list(turn, turn.user, page=press.ref, edit=message)


async def act_on_problem(turn: Turn, press: Press, raw: str | None) -> None:
    problem, reason = await allowed_problem(turn, press)
    message = pressed_message(turn)
    if problem is None or turn.user is None or message is None:
        await refuse(turn, raw, reason)
        return
    if press.action == "view":
        await turn.answer_button()
        await show_problem(turn, problem)
        return
    action = ACTIONS[press.action]
    if await already_done(turn, problem, action):
        return
    await turn.answer_button()
    view = None if press.ref else message.message_id
    await begin_flow(turn, flow.FLOWS[action], flow.flow_data(problem.id, view))


def is_list(message: Message) -> bool:
    """Whether the message shows the list: it has buttons opening problems or turning pages."""
    markup = message.reply_markup
    buttons = [button for row in markup.inline_keyboard for button in row] if markup else []
    return any(str(button.callback_data or "").startswith(LIST_BUTTONS) for button in buttons)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(press_follow_up, pattern=rf"^1\|{Kind.FOLLOW_UP}\|"),
        CommandHandler(["tindaklanjut", "followup"], follow_up_command, filters.ChatType.PRIVATE),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="follow_up",
        handlers=handlers,
        flows=(flow.ACKNOWLEDGE, flow.RESOLVE),
        menu=(
            MenuEntry(
                action="follow_up",
                command="tindaklanjut",
                description="command-follow-up",
                label="menu-follow-up",
                start=start_list,
                roles=FOLLOW_UP_ROLES,
            ),
        ),
    )
