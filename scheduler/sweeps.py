"""Sweeps: each looks at the database as it is now, so running one twice does nothing more.

Every sweep is called as `(session, *, now, not_before, settings)` inside the transaction
`run_sweeps` opened, returns how many rows or messages it handled, and queues each message
with an outbox key of its own (`kind:id`), so a second run queues it no second time.
`not_before` is when its messages may go: `now`, or the end of the quiet hours for a sweep
registered to wait them out (`scheduler.registry`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import EMPTY_INLINE
from bot.outgoing import catalogue_text, send_to_user
from bot.settings import Settings
from models.conversations import ACTIVE, Conversation
from models.outbox import enqueue
from models.users import User

BATCH = 500


async def post(
    session: AsyncSession,
    *,
    chat_id: int,
    method: str,
    params: dict[str, Any],
    key: str,
    now: datetime,
    not_before: datetime,
    edits_id: int | None = None,
) -> bool:
    """Queue one Bot API call of a sweep under its own key, held until `not_before`; False
    when the key was queued before."""
    message = await enqueue(
        session,
        chat_id=chat_id,
        method=method,
        params={"chat_id": chat_id, **params},
        now=now,
        key=key,
        edits_id=edits_id,
        not_before=not_before,
    )
    return message is not None


async def end_idle_conversations(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """End conversations idle longer than allowed, each with a short note; returns how many."""
    cutoff = now - timedelta(minutes=settings.conversation.idle_minutes)
    rows = await session.execute(
        select(Conversation, User)
        .join(User, User.id == Conversation.user_id)
        .where(Conversation.status == ACTIVE, Conversation.updated_at < cutoff)
        .order_by(Conversation.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Conversation)
    )
    ended = 0
    for conversation, user in rows:
        conversation.status = "expired"
        conversation.updated_at = now
        if conversation.prompt_outbox_id is not None:
            await post(
                session,
                chat_id=conversation.chat_id,
                method="editMessageReplyMarkup",
                params={"reply_markup": EMPTY_INLINE},
                key=f"expired-buttons:{conversation.id}",
                edits_id=conversation.prompt_outbox_id,
                now=now,
                not_before=not_before,
            )
            conversation.prompt_outbox_id = None
        await send_to_user(
            session,
            user=user,
            key=f"expired:{conversation.id}",
            compose=catalogue_text("conversation-expired"),
            now=now,
            not_before=not_before,
        )
        ended += 1
    return ended
