"""Every update Telegram sent, stored before it is confirmed, handled exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Table, Text, select, update
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


async def mark_handled(
    session: AsyncSession, *, update_id: int, at: datetime, error: str | None = None
) -> None:
    """A Core statement on the table: no ORM bookkeeping, and no flush before it."""
    table = cast("Table", InboxUpdate.__table__)
    await session.execute(
        update(table)
        .where(table.c.update_id == update_id, table.c.handled_at.is_(None))
        .values(handled_at=at, error=error)
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
