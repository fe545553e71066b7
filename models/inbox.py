"""Every update Telegram sent, stored before it is confirmed, handled exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Table, Text, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class InboxUpdate(Base):
    __tablename__ = "inbox_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
    error: Mapped[str | None] = mapped_column(Text)


INBOX = cast("Table", InboxUpdate.__table__)
_MARK_HANDLED = (
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("marked_id"), INBOX.c.handled_at.is_(None))
    .values(handled_at=bindparam("marked_at"), error=bindparam("marked_error"))
)
"""Built once: a Core statement on the table (no ORM bookkeeping, no flush before it), whose
cache key SQLAlchemy computes once, not at every update."""


async def mark_handled(
    session: AsyncSession, *, update_id: int, at: datetime, error: str | None = None
) -> None:
    await session.execute(
        _MARK_HANDLED, {"marked_id": update_id, "marked_at": at, "marked_error": error}
    )


async def unhandled_updates(session: AsyncSession) -> list[InboxUpdate]:
    rows = await session.scalars(
        select(InboxUpdate).where(InboxUpdate.handled_at.is_(None)).order_by(InboxUpdate.update_id)
    )
    return list(rows)


async def is_handled(session: AsyncSession, *, update_id: int) -> bool:
    handled = await session.scalar(
        select(InboxUpdate.handled_at).where(InboxUpdate.update_id == update_id)
    )
    return handled is not None
