"""Reminders' buttons and `/pengingat`, where each user turns kinds of reminders on and off.

1|m|report|<ipal>    the monthly report for that IPAL
1|m|lltt|<ipal>      a desludging request for that IPAL, reason LLTT already chosen
1|m|cmd|<command>    a digest's list: runs the command when a feature declares it
1|m|on|<kind>, 1|m|off|<kind>    `/pengingat`'s switches
"""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import CallbackData, Kind, reminder_button
from bot.conversation.base import label
from bot.conversation.ipal import start_flow_for
from bot.features import Feature
from bot.keyboards import Markup, inline
from bot.menus import MenuEntry
from bot.texts import Texts
from bot.turn import Turn, handler, require_joined
from domain.reminders import ReminderKind
from domain.vocabulary import Role
from handlers.desludging import flow as desludging
from handlers.report import flow as report
from models.reminders import opted_out, set_wanted

SWITCHES = {"on": True, "off": False}


@handler
async def reminder_settings(turn: Turn) -> None:
    """Show each kind of reminder with a switch to turn it on or off."""
    user = await require_joined(turn)
    if user is None:
        return
    markup = await switches(turn, user.id)
    await turn.reply(turn.texts("reminders-settings"), markup=markup)


async def switches(turn: Turn, user_id: int) -> Markup:
    off = await opted_out(turn.session, user_id=user_id)
    return inline([[switch(turn.texts, kind, kind not in off)] for kind in ReminderKind])


def switch(texts: Texts, kind: ReminderKind, on: bool) -> tuple[str, str]:
    name = texts(f"reminders-kind-{kind}")
    shown = label(texts, "reminders-on" if on else "reminders-off", kind=name)
    return shown, reminder_button("off" if on else "on", kind.value)


@handler
async def press_reminder_button(turn: Turn) -> None:
    """Do what a reminder's, a digest's or `/pengingat`'s button says; anything malformed or
    no longer allowed gets a plain refusal."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    if data is None or len(data.args) != 2 or turn.user is None:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    action, argument = data.args
    if action in SWITCHES:
        await flip(turn, argument, on=SWITCHES[action])
    elif action == "cmd":
        await open_list(turn, argument)
    elif action in ("report", "lltt") and argument.isascii() and argument.isdigit():
        await start_from_reminder(turn, action, int(argument))
    else:
        await turn.answer_button(turn.texts("button-stale"), alert=True)


async def start_from_reminder(turn: Turn, action: str, ipal_id: int) -> None:
    if action == "report":
        started = await start_flow_for(turn, report.REPORT, report.entry, ipal_id)
    else:
        started = await start_flow_for(turn, desludging.DESLUDGING, desludging.lltt_entry, ipal_id)
    if not started:
        await turn.answer_button(turn.texts("button-stale"), alert=True)


async def open_list(turn: Turn, command: str) -> None:
    """Run the list's command when a feature declares it, else say it is not there yet."""
    entry = turn.runtime.menu.entry_for_command(command)
    if entry is None or entry.start is None:
        await turn.answer_button(turn.texts("digest-command-unavailable"), alert=True)
        return
    await entry.start(turn)


async def flip(turn: Turn, value: str, *, on: bool) -> None:
    """Turn one kind on or off, and show the switches as they are now."""
    query = turn.update.callback_query
    message = query.message if query and isinstance(query.message, Message) else None
    if turn.user is None or value not in ReminderKind._value2member_map_ or message is None:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    kind = ReminderKind(value)
    await set_wanted(turn.session, user_id=turn.user.id, kind=kind, wanted=on, now=turn.now)
    name = turn.texts(f"reminders-kind-{kind}")
    await turn.answer_button(
        turn.texts("reminders-turned-on" if on else "reminders-turned-off", kind=name)
    )
    await turn.call(
        "editMessageReplyMarkup",
        {"message_id": message.message_id, "reply_markup": await switches(turn, turn.user.id)},
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler(["pengingat", "reminders"], reminder_settings, filters.ChatType.PRIVATE),
        CallbackQueryHandler(press_reminder_button, pattern=rf"^1\|{Kind.REMINDER}\|"),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="reminders",
        handlers=handlers,
        menu=(
            MenuEntry(
                action="reminders",
                command="pengingat",
                description="command-reminders",
                roles=frozenset(Role),  # every role has kinds of its own to turn off
            ),
        ),
    )
