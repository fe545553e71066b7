"""Outgoing Bot API calls, committed with the change that caused them and delivered by a worker."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_queue", "status", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]]
    edits_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    """For an edit of a message this outbox sent: the row whose Telegram message it edits."""
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    """`kind:id` of the event, so a sweep that runs twice enqueues once."""
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(
            OutboxStatus,
            native_enum=False,
            length=8,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=OutboxStatus.PENDING,
    )
    bulk: Mapped[bool] = mapped_column(default=False)
    """Reminders and broadcasts yield to direct replies and alerts."""
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    method: str,
    params: dict[str, Any],
    now: datetime,
    key: str | None = None,
    edits_id: int | None = None,
    bulk: bool = False,
) -> OutboxMessage | None:
    """Add one Bot API call; with a `key` already used, add nothing and return None."""
    if key is not None and await session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.key == key)
    ):
        return None
    message = OutboxMessage(
        chat_id=chat_id,
        method=method,
        params=params,
        key=key,
        edits_id=edits_id,
        bulk=bulk,
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=now,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message
