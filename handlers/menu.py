"""The main menu's labels: each starts what its entry declares (see `bot.menus`)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, MessageHandler, filters

from bot.menus import Menu
from bot.turn import Turn, handler


class MenuLabel(filters.MessageFilter):
    """A text that is one of the bot's menu labels, in either language."""

    def __init__(self, menu: Menu) -> None:
        super().__init__()
        self.menu = menu

    def filter(self, message: Any) -> bool:
        return bool(message.text) and self.menu.entry_of(message.text) is not None


@handler
async def choose_menu(turn: Turn) -> None:
    """Start what the pressed menu label stands for."""
    message = turn.update.effective_message
    entry = turn.runtime.menu.entry_of(message.text or "") if message else None
    if entry is not None and entry.start is not None:
        await entry.start(turn)


def handlers(menu: Menu) -> list[BaseHandler[Any, Any, Any]]:
    return [MessageHandler(filters.ChatType.PRIVATE & MenuLabel(menu), choose_menu)]
