"""The main menu's labels: each starts what its command starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BaseHandler, MessageHandler, filters

from bot.menus import Action, menu_action
from bot.turn import Turn, handler

Entry = Callable[[Turn], Awaitable[None]]
ENTRIES: dict[Action, Entry] = {}


def on_menu(action: Action, entry: Entry) -> None:
    ENTRIES[action] = entry


class MenuLabel(filters.MessageFilter):
    """A text that is one of the menu labels, in either language."""

    def filter(self, message: Any) -> bool:
        return bool(message.text) and menu_action(message.text) in ENTRIES


@handler
async def choose_menu(turn: Turn) -> None:
    """Start what the pressed menu label stands for."""
    message = turn.update.effective_message
    action = menu_action(message.text or "") if message else None
    if action is not None:
        await ENTRIES[action](turn)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [MessageHandler(filters.ChatType.PRIVATE & MenuLabel(), choose_menu)]
