"""Desludging requests: at most one open per IPAL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.lifecycles import OPEN_REQUEST_STATES, RequestState
from models.areas import Ipal
from models.base import Base
from models.users import User


class DesludgingRequest(Base):
    __tablename__ = "desludging_requests"
    __table_args__ = (
        Index(
            "uq_desludging_requests_open_ipal",
            "ipal_id",
            unique=True,
            sqlite_where=text("state IN ('requested', 'scheduled')"),
            postgresql_where=text("state IN ('requested', 'scheduled')"),
        ),
        Index("ix_desludging_requests_state_requested_at", "state", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    reason: Mapped[str] = mapped_column(String(12))
    preferred_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16), default=RequestState.REQUESTED)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    scheduled_on: Mapped[date | None] = mapped_column(index=True)
    """The day the operator will come (set when the request is scheduled)."""
    team: Mapped[str | None] = mapped_column(String(100))

    ipal: Mapped[Ipal] = relationship(lazy="joined")
    requester: Mapped[User] = relationship(lazy="joined")


async def open_request(session: AsyncSession, *, ipal_id: int) -> DesludgingRequest | None:
    return await session.scalar(
        select(DesludgingRequest).where(
            DesludgingRequest.ipal_id == ipal_id, DesludgingRequest.state.in_(OPEN_REQUEST_STATES)
        )
    )


async def record_request(
    session: AsyncSession,
    *,
    ipal_id: int,
    requester_id: int,
    reason: str,
    preferred_date: date,
    note: str | None,
    severity: str,
    now: datetime,
) -> DesludgingRequest | None:
    """The new request, or None when the IPAL already has an open one (even one made a moment
    ago by another member: the database allows one open request per IPAL)."""
    await session.flush()
    request = DesludgingRequest(
        ipal_id=ipal_id,
        requester_id=requester_id,
        reason=reason,
        preferred_date=preferred_date,
        note=note,
        severity=severity,
        state=RequestState.REQUESTED,
        requested_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(request)
            await session.flush()
    except IntegrityError:
        return None
    await session.refresh(request, ["ipal", "requester"])
    return request
