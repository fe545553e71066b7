"""Invitations and users in the bot: `/undang` and `/pengguna` for admins and KSM chairs."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import Kind
from bot.features import Feature
from bot.menus import MenuEntry
from domain.vocabulary import Role
from handlers.people.invite import invite_menu, press_invite, start_invite
from handlers.people.users import people_menu, press_people, start_people

MANAGERS = frozenset({Role.ADMIN, Role.CHAIR})


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(["undang", "invite"], start_invite, private),
        CommandHandler(["pengguna", "users"], start_people, private),
        CallbackQueryHandler(press_invite, pattern=rf"^1\|{Kind.INVITE}\|"),
        CallbackQueryHandler(press_people, pattern=rf"^1\|{Kind.PEOPLE}\|"),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="people",
        handlers=handlers,
        menu=(
            MenuEntry(
                action="invite",
                command="undang",
                description="command-invite",
                label="menu-invite",
                start=invite_menu,
                roles=MANAGERS,
            ),
            MenuEntry(
                action="people",
                command="pengguna",
                description="command-people",
                label="menu-people",
                start=people_menu,
                roles=MANAGERS,
            ),
        ),
    )
