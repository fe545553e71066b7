""" "Uploading photo…" / "uploading document…" in the user's chat while the bot makes a file.

Telegram shows a chat action for about five seconds, so it is sent again every four seconds
until the work is done. It goes straight to the Bot API, not through the outbox: it is a hint
that means nothing once the work is over, and a failure to send it changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Protocol

from telegram.error import TelegramError

log = logging.getLogger(__name__)

REPEAT_SECONDS = 4.0
UPLOAD_PHOTO = "upload_photo"
UPLOAD_DOCUMENT = "upload_document"


class ActionSender(Protocol):
    async def send_chat_action(self, chat_id: int, action: str) -> bool: ...


@contextlib.asynccontextmanager
async def showing(
    bot: ActionSender, chat_id: int, action: str, *, every: float = REPEAT_SECONDS
) -> AsyncIterator[None]:
    """Show `action` in the chat, again every `every` seconds, while the block runs."""
    task = asyncio.create_task(_repeat(bot, chat_id, action, every), name=f"action:{chat_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _repeat(bot: ActionSender, chat_id: int, action: str, every: float) -> None:
    while True:
        try:
            await bot.send_chat_action(chat_id, action)
        except TelegramError as error:
            log.debug("chat action %s for %s not sent: %s", action, chat_id, error)
        await asyncio.sleep(every)
