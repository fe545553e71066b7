"""Invitations and users in the bot: `/undang` and `/pengguna` for admins and KSM chairs."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Kind
from bot.menus import Action
from handlers.menu import on_menu
from handlers.people.invite import invite_menu, press_invite, start_invite
from handlers.people.users import people_menu, press_people, start_people


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    on_menu(Action.INVITE, invite_menu)
    on_menu(Action.PEOPLE, people_menu)
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(["undang", "invite"], start_invite, private),
        CommandHandler(["pengguna", "users"], start_people, private),
        CallbackQueryHandler(press_invite, pattern=rf"^1\|{Kind.INVITE}\|"),
        CallbackQueryHandler(press_people, pattern=rf"^1\|{Kind.PEOPLE}\|"),
    ]
