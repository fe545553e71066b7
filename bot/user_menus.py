"""Tell a user (not the one asking) that their roles changed: a new command list and menu.

Used by the bot's `/pengguna` and by `sanimas user …`; the calls go through the outbox, so the
running bot delivers them whichever process queued them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.menus import Menu
from bot.texts import Texts
from models.outbox import enqueue
from models.users import User, roles_of


async def refresh_menu(
    session: AsyncSession,
    *,
    menu: Menu,
    user: User,
    now: datetime,
    key: str | None = None,
    **params: object,
) -> None:
    """Queue `user`'s command list for the roles they hold now (none when deactivated) and,
    with `key`, a message in their language carrying the matching menu."""
    texts = Texts(user.language)
    roles = roles_of(user) if user.is_active else frozenset()
    chat_id = user.telegram_id
    await enqueue(
        session,
        chat_id=chat_id,
        method="setMyCommands",
        params={
            "commands": menu.commands(texts, roles),
            "scope": {"type": "chat", "chat_id": chat_id},
        },
        now=now,
    )
    if key is None or not user.is_active:
        return
    await enqueue(
        session,
        chat_id=chat_id,
        method="sendMessage",
        params={
            "chat_id": chat_id,
            "text": texts(key, **params),
            "parse_mode": "HTML",
            "reply_markup": menu.keyboard(texts, roles),
        },
        now=now,
    )
