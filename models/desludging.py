"""Desludging requests (at most one open per IPAL), their lifecycle and the members' ratings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.lifecycles import OPEN_REQUEST_STATES, RequestState, may_move_request
from models.areas import Ipal, load_ipal
from models.base import Base
from models.outbox import OutboxMessage
from models.users import IPAL_ROLES, RoleGrant, User


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
    """The team or truck the operator sends, when they say."""
    done_on: Mapped[date | None]
    volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    done_photo_file_id: Mapped[str | None] = mapped_column(String(200))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    """When it was done, rejected or cancelled."""

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


class DesludgingRating(Base):
    """How the requesting member judged a desludging done: stars and a short checklist."""

    __tablename__ = "desludging_ratings"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("desludging_requests.id"), unique=True)
    stars: Mapped[int]
    no_spillage: Mapped[bool] = mapped_column(default=False)
    protective_gear: Mapped[bool] = mapped_column(default=False)
    site_clean: Mapped[bool] = mapped_column(default=False)
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime]


CHECKLIST = ("no_spillage", "protective_gear", "site_clean")
"""The rating's checklist items, as its columns are named."""


async def find_request(
    session: AsyncSession, *, request_id: int, for_update: bool = False
) -> DesludgingRequest | None:
    """The request with its IPAL and requester (locked for the change when `for_update`)."""
    query = select(DesludgingRequest).where(DesludgingRequest.id == request_id)
    if for_update:
        query = query.with_for_update(of=DesludgingRequest)
    found: DesludgingRequest | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    if found is not None:
        await load_ipal(session, ipal_id=found.ipal_id)
    return found


def _move(request: DesludgingRequest, new: RequestState, *, now: datetime) -> bool:
    """Put the request in `new` when its lifecycle allows it; closed states get `closed_at`."""
    if not may_move_request(RequestState(request.state), new):
        return False
    request.state = new
    if new not in OPEN_REQUEST_STATES:
        request.closed_at = now
    return True


def schedule_request(
    request: DesludgingRequest, *, on: date, team: str | None, now: datetime
) -> bool:
    """Schedule (or move) the desludging to `on`; False when the request is closed."""
    if not _move(request, RequestState.SCHEDULED, now=now):
        return False
    request.scheduled_on, request.team = on, team
    return True


def reject_request(request: DesludgingRequest, *, reason: str, now: datetime) -> bool:
    if not _move(request, RequestState.REJECTED, now=now):
        return False
    request.reject_reason = reason
    return True


def cancel_request(request: DesludgingRequest, *, now: datetime) -> bool:
    return _move(request, RequestState.CANCELLED, now=now)


def complete_request(
    request: DesludgingRequest,
    *,
    on: date,
    volume_m3: Decimal,
    photo_file_id: str | None,
    now: datetime,
) -> bool:
    """Record the desludging done; the IPAL's LLTT cycle restarts on `on`."""
    if not _move(request, RequestState.DONE, now=now):
        return False
    request.done_on, request.volume_m3, request.done_photo_file_id = on, volume_m3, photo_file_id
    last = request.ipal.last_desludged_on
    if last is None or last < on:
        request.ipal.last_desludged_on = on
    return True


async def operator_queue(session: AsyncSession, *, limit: int) -> list[DesludgingRequest]:
    """Open requests by the date they are scheduled for (or wanted on), oldest first."""
    by_date = func.coalesce(DesludgingRequest.scheduled_on, DesludgingRequest.preferred_date)
    query = (
        select(DesludgingRequest)
        .where(DesludgingRequest.state.in_(OPEN_REQUEST_STATES))
        .order_by(by_date, DesludgingRequest.id)
        .limit(limit)
    )
    requests = list(await session.scalars(query))
    for ipal_id in {request.ipal_id for request in requests}:
        await load_ipal(session, ipal_id=ipal_id)  # with its kalurahan and kapanewon, to name
    return requests


async def ipal_members(session: AsyncSession, *, ipal_id: int) -> list[User]:
    """The IPAL's members and chairs who can be told something (active, not blocking the bot)."""
    query = (
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.ipal_id == ipal_id,
            RoleGrant.role.in_([role.value for role in IPAL_ROLES]),
            User.is_blocked.is_(False),
            User.deactivated_at.is_(None),
        )
        .distinct()
        .order_by(User.id)
    )
    return list(await session.scalars(query))


async def find_rating(session: AsyncSession, *, request_id: int) -> DesludgingRating | None:
    found: DesludgingRating | None = await session.scalar(
        select(DesludgingRating).where(DesludgingRating.request_id == request_id)
    )
    return found


async def rate_request(
    session: AsyncSession, *, request_id: int, stars: int, rated_by_id: int, now: datetime
) -> DesludgingRating:
    """Store (or change) the stars; the checklist starts unticked."""
    if not 1 <= stars <= 5:
        raise ValueError(f"stars must be 1 to 5, got {stars}")
    rating = await find_rating(session, request_id=request_id)
    if rating is None:
        rating = DesludgingRating(
            request_id=request_id,
            stars=stars,
            no_spillage=False,
            protective_gear=False,
            site_clean=False,
            rated_by_id=rated_by_id,
            rated_at=now,
        )
        session.add(rating)
    rating.stars, rating.rated_at = stars, now
    await session.flush()
    return rating


def tick(rating: DesludgingRating, item: str, *, now: datetime) -> None:
    """Turn one checklist item over (a second tap undoes the first)."""
    if item not in CHECKLIST:
        raise ValueError(f"no checklist item {item!r}")
    setattr(rating, item, not getattr(rating, item))
    rating.rated_at = now


def rating_key(request_id: int) -> str:
    """The outbox key of the message asking the requester to rate the desludging."""
    return f"desludging:{request_id}:rate"


async def is_rating_message(
    session: AsyncSession, *, request_id: int, chat_id: int, message_id: int
) -> bool:
    """Whether this message is the one that asked to rate this request."""
    found = await session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.key == rating_key(request_id),
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.message_id == message_id,
        )
    )
    return found is not None
