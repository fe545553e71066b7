"""Sweeps: each looks at the database as it is now, so running one twice does nothing more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.keyboards import EMPTY_INLINE
from bot.outgoing import catalogue_text, send_to_user
from bot.runtime import Runtime
from models.conversations import ACTIVE, Conversation
from models.outbox import enqueue
from models.users import User


async def end_idle_conversations(runtime: Runtime) -> int:
    """End conversations idle longer than allowed, each with a short note; returns how many."""
    now = runtime.clock.now()
    cutoff = now - timedelta(minutes=runtime.settings.conversation.idle_minutes)
    async with runtime.db.transaction() as session:
        rows = await session.execute(
            select(Conversation, User)
            .join(User, User.id == Conversation.user_id)
            .where(Conversation.status == ACTIVE, Conversation.updated_at < cutoff)
            .order_by(Conversation.id)
            .limit(500)
            .with_for_update(skip_locked=True, of=Conversation)
        )
        ended = 0
        for conversation, user in rows:
            conversation.status = "expired"
            conversation.updated_at = now
            if conversation.prompt_outbox_id is not None:
                await enqueue(
                    session,
                    chat_id=conversation.chat_id,
                    method="editMessageReplyMarkup",
                    params={"chat_id": conversation.chat_id, "reply_markup": EMPTY_INLINE},
                    edits_id=conversation.prompt_outbox_id,
                    now=now,
                )
                conversation.prompt_outbox_id = None
            await send_to_user(
                session,
                user=user,
                key=f"expired:{conversation.id}",
                compose=catalogue_text("conversation-expired"),
                now=now,
            )
            ended += 1
    if ended:
        runtime.wake_delivery()
    return ended
