"""Notices an admin sends to an audience: their segments, deliveries and RSVP answers.

A notice's deliveries are created in chunks by the fan-out sweep, each linked to the outbox
row that carries it (key `notice:<id>:<user>`), so a sweep that runs twice, or again after a
kill, queues nobody twice. RSVP places are counted in `notices.attending`, which a database
CHECK keeps at or below the capacity, and taken by one conditional UPDATE: two presses at the
same moment can never both take the last place.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    Enum,
    ForeignKey,
    Insert,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.notices import Answer, Holding, Segment, Standing, resolve_audience, standing_after
from domain.reminders import ReminderKind
from domain.vocabulary import Role
from models.areas import Area, Ipal
from models.base import Base, BigId
from models.outbox import OutboxMessage, OutboxStatus
from models.reminders import wants
from models.users import RoleGrant, User


class NoticeStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # waits for its time (or the end of the quiet hours)
    SENDING = "sending"  # fanned out or being fanned out
    DONE = "done"  # every delivery ended, the report sent
    CANCELLED = "cancelled"


def _enum(kind: type[enum.StrEnum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR attending <= capacity", name="within_capacity"),
        CheckConstraint("attending >= 0", name="attending_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    text_html: Mapped[str] = mapped_column(Text)
    """As the admin wrote it (Telegram's HTML of their message)."""
    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    document_file_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[NoticeStatus] = mapped_column(_enum(NoticeStatus, 12))
    send_at: Mapped[datetime]
    created_at: Mapped[datetime]
    rsvp: Mapped[bool] = mapped_column(default=False)
    event_on: Mapped[date | None]
    capacity: Mapped[int | None]
    rsvp_deadline: Mapped[datetime | None]
    attending: Mapped[int] = mapped_column(default=0)
    cursor_user_id: Mapped[int] = mapped_column(default=0)
    """The fan-out has queued every recipient with a lower user id."""
    fanned_out: Mapped[bool] = mapped_column(default=False)
    recipients: Mapped[int] = mapped_column(default=0)
    unreachable: Mapped[int] = mapped_column(default=0)
    progress_outbox_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("outbox.id"))
    """The admin's progress message, edited in place."""
    progress_text: Mapped[str | None] = mapped_column(Text)
    progress_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    segments: Mapped[list[NoticeSegment]] = relationship(
        lazy="selectin", order_by="NoticeSegment.id"
    )


class NoticeSegment(Base):
    __tablename__ = "notice_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    organisation: Mapped[str | None] = mapped_column(String(120))


class NoticeDelivery(Base):
    __tablename__ = "notice_deliveries"
    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outbox_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("outbox.id"), index=True)


class Rsvp(Base):
    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("notice_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[Answer] = mapped_column(_enum(Answer, 4))
    standing: Mapped[Standing] = mapped_column(_enum(Standing, 10))
    answered_at: Mapped[datetime]
    queue_number: Mapped[int | None]
    """Their turn on the waiting list (lower goes first), given under the notice's lock."""
    reminded: Mapped[bool] = mapped_column(default=False)


def segment_of(row: NoticeSegment, area: Area | None) -> Segment:
    role = Role(row.role)
    if area is None:
        return Segment(role, organisation=row.organisation)
    if area.level == "kalurahan":
        return Segment(role, area.parent_id, area.id, row.organisation)
    return Segment(role, area.id, None, row.organisation)


def wants_rsvp_reminder() -> ColumnElement[bool]:
    """A condition on `User`: they kept the `rsvp` reminder kind on (`/pengingat`); the only
    place notices ask."""
    return wants(ReminderKind.RSVP)


def is_deactivated(user: User) -> bool:
    """The one place notices ask whether a user was deactivated (users.deactivated_at)."""
    return was_deactivated(user.deactivated_at)


def was_deactivated(deactivated_at: datetime | None) -> bool:
    return deactivated_at is not None


async def holdings(session: AsyncSession, *, roles: set[str]) -> list[Holding]:
    """Every grant of these roles with its place and organisation, as the audience rule reads
    them (plain columns: a large audience is read at every chunk of its fan-out)."""
    rows = await session.execute(
        select(
            RoleGrant.role,
            RoleGrant.organisation,
            User.id,
            User.deactivated_at,
            User.is_blocked,
            Area.id,
            Area.level,
            Area.parent_id,
        )
        .join(User, User.id == RoleGrant.user_id)
        .outerjoin(Ipal, Ipal.id == RoleGrant.ipal_id)
        .outerjoin(Area, Area.id == func.coalesce(Ipal.kalurahan_id, RoleGrant.area_id))
        .where(RoleGrant.role.in_(roles))
    )
    found: list[Holding] = []
    for role, organisation, user_id, deactivated_at, blocked, area_id, level, parent_id in rows:
        kalurahan = area_id if level == "kalurahan" else None
        kapanewon = parent_id if kalurahan is not None else None
        if level == "kapanewon":
            kapanewon = area_id
        found.append(
            Holding(
                user_id=user_id,
                role=Role(role),
                kapanewon_id=kapanewon,
                kalurahan_id=kalurahan,
                organisation=organisation,
                active=not was_deactivated(deactivated_at),
                blocked=blocked,
            )
        )
    return found


@dataclass(frozen=True)
class SegmentChoice:
    role: Role
    area_id: int | None = None
    organisation: str | None = None


async def audience_of(
    session: AsyncSession, *, choices: list[SegmentChoice]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(recipients, unreachable) user ids of the union of these segments."""
    segments = []
    for choice in choices:
        area = await session.get(Area, choice.area_id) if choice.area_id is not None else None
        row = NoticeSegment(role=choice.role.value, organisation=choice.organisation)
        segments.append(segment_of(row, area))
    found = await holdings(session, roles={choice.role.value for choice in choices})
    audience = resolve_audience(segments, found)
    return audience.recipients, audience.unreachable


async def create_notice(
    session: AsyncSession,
    *,
    admin: User,
    text_html: str,
    choices: list[SegmentChoice],
    now: datetime,
    send_at: datetime | None = None,
    photo_file_id: str | None = None,
    document_file_id: str | None = None,
    rsvp: bool = False,
    event_on: date | None = None,
    capacity: int | None = None,
    rsvp_deadline: datetime | None = None,
) -> Notice:
    """Store a notice to send at `send_at` (now when None); the fan-out sweep does the rest."""
    recipients, unreachable = await audience_of(session, choices=choices)
    notice = Notice(
        created_by_id=admin.id,
        admin_chat_id=admin.telegram_id,
        text_html=text_html,
        photo_file_id=photo_file_id,
        document_file_id=document_file_id,
        status=NoticeStatus.SCHEDULED,
        send_at=send_at or now,
        created_at=now,
        rsvp=rsvp,
        event_on=event_on,
        capacity=capacity,
        rsvp_deadline=rsvp_deadline,
        attending=0,
        cursor_user_id=0,
        fanned_out=False,
        recipients=len(recipients),
        unreachable=len(unreachable),
    )
    session.add(notice)
    await session.flush()
    for choice in choices:
        session.add(
            NoticeSegment(
                notice_id=notice.id,
                role=choice.role.value,
                area_id=choice.area_id,
                organisation=choice.organisation,
            )
        )
    await session.flush()
    await session.refresh(notice, ["segments"])
    return notice


async def notice_audience(session: AsyncSession, *, notice: Notice) -> tuple[int, ...]:
    """The notice's recipients as of now (users deactivated or blocked since are left out)."""
    choices = [
        SegmentChoice(Role(row.role), row.area_id, row.organisation) for row in notice.segments
    ]
    recipients, _ = await audience_of(session, choices=choices)
    return recipients


def _insert_delivery(session: AsyncSession) -> Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(NoticeDelivery).on_conflict_do_nothing(
            index_elements=["notice_id", "user_id"]
        )
    return sqlite.insert(NoticeDelivery).on_conflict_do_nothing(
        index_elements=["notice_id", "user_id"]
    )


async def record_delivery(
    session: AsyncSession, *, notice_id: int, user_id: int, outbox_id: int | None
) -> None:
    await session.execute(
        _insert_delivery(session).values(notice_id=notice_id, user_id=user_id, outbox_id=outbox_id)
    )


async def record_deliveries(
    session: AsyncSession, *, notice_id: int, outbox_ids: Mapping[int, int | None]
) -> None:
    """`record_delivery` for many recipients (user id → outbox id) in one INSERT."""
    if outbox_ids:
        await session.execute(
            _insert_delivery(session),
            [
                {"notice_id": notice_id, "user_id": user_id, "outbox_id": outbox_id}
                for user_id, outbox_id in outbox_ids.items()
            ],
        )


async def notices_due(session: AsyncSession, *, now: datetime) -> list[Notice]:
    """Notices whose time has come and whose fan-out is not finished, oldest first."""
    query = (
        select(Notice)
        .where(Notice.status.in_([NoticeStatus.SCHEDULED, NoticeStatus.SENDING]))
        .where(Notice.send_at <= now, Notice.fanned_out.is_(False))
        .order_by(Notice.id)
    )
    return list(await session.scalars(query))


async def notices_sending(session: AsyncSession, *, now: datetime) -> list[Notice]:
    """Notices on their way: being sent, or due and about to be fanned out."""
    due = (Notice.status == NoticeStatus.SCHEDULED) & (Notice.send_at <= now)
    query = select(Notice).where((Notice.status == NoticeStatus.SENDING) | due).order_by(Notice.id)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class Figures:
    pending: int
    sent: int
    blocked: int
    failed: int
    reasons: dict[str, int]
    repeats: int = 0
    """Messages that may have reached their recipient twice (on the wire at a kill)."""


async def delivery_figures(session: AsyncSession, *, notice_id: int) -> Figures:
    """How the notice's outbox rows stand."""
    rows = await session.execute(
        select(
            OutboxMessage.status,
            OutboxMessage.error,
            func.count(),
            func.count().filter(OutboxMessage.repeat_possible),
        )
        .join(NoticeDelivery, NoticeDelivery.outbox_id == OutboxMessage.id)
        .where(NoticeDelivery.notice_id == notice_id)
        .group_by(OutboxMessage.status, OutboxMessage.error)
    )
    pending = sent = blocked = failed = repeats = 0
    reasons: dict[str, int] = {}
    for status, error, count, repeated in rows:
        repeats += repeated
        if status == OutboxStatus.PENDING:
            pending += count
        elif status == OutboxStatus.SENT:
            sent += count
        elif error and "blocked" in error.lower():
            blocked += count
        else:
            failed += count
            reason = error or "?"
            reasons[reason] = reasons.get(reason, 0) + count
    return Figures(pending, sent, blocked, failed, reasons, repeats)


CANCELLED_ERROR = "notice cancelled"


async def cancel_notice(session: AsyncSession, *, notice: Notice, now: datetime) -> int:
    """Stop the notice: what waits is given up; how many. What was sent stays recorded, and
    so will a copy already on its way (claimed by the outbox worker): its call may have
    reached Telegram, and its outcome is recorded when it returns."""
    notice.status = NoticeStatus.CANCELLED
    notice.finished_at = now
    waiting = select(NoticeDelivery.outbox_id).where(NoticeDelivery.notice_id == notice.id)
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(waiting),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.claimed_at.is_(None),
        )
        .values(status=OutboxStatus.FAILED, error=CANCELLED_ERROR)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def recent_notices(session: AsyncSession, *, admin_id: int, limit: int = 5) -> list[Notice]:
    query = (
        select(Notice)
        .where(Notice.created_by_id == admin_id)
        .order_by(Notice.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


# RSVP


@dataclass(frozen=True)
class RsvpResult:
    standing: Standing
    position: int | None
    """Place on the waiting list, from 1."""
    promoted: User | None
    """Who got the place a *Tidak hadir* freed."""
    changed: bool


async def _take_place(session: AsyncSession, *, notice_id: int) -> bool:
    """One place more, if the capacity allows: a single conditional UPDATE, so two presses at
    once never both get the last place (the CHECK constraint backs it)."""
    result = await session.execute(
        update(Notice)
        .where(Notice.id == notice_id)
        .where((Notice.capacity.is_(None)) | (Notice.attending < Notice.capacity))
        .values(attending=Notice.attending + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def _free_place(session: AsyncSession, *, notice_id: int) -> None:
    await session.execute(
        update(Notice)
        .where(Notice.id == notice_id)
        .values(attending=Notice.attending - 1)
        .execution_options(synchronize_session=False)
    )


async def find_rsvp(session: AsyncSession, *, notice_id: int, user_id: int) -> Rsvp | None:
    return await session.scalar(
        select(Rsvp).where(Rsvp.notice_id == notice_id, Rsvp.user_id == user_id)
    )


async def waiting_position(session: AsyncSession, *, rsvp: Rsvp) -> int:
    """1 for the first on the waiting list (who joined it first)."""
    ahead = await session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(Rsvp.notice_id == rsvp.notice_id, Rsvp.standing == Standing.WAITING)
        .where(Rsvp.queue_number <= rsvp.queue_number)
    )
    return int(ahead or 0)


async def _lock_notice(session: AsyncSession, *, notice_id: int) -> None:
    """Take the notice's row lock (PostgreSQL) before reading its answers, so answers to one
    notice are made one after another; SQLite's BEGIN IMMEDIATE already serialises them."""
    await session.execute(
        update(Notice)
        .where(Notice.id == notice_id)
        .values(attending=Notice.attending)
        .execution_options(synchronize_session=False)
    )


async def _next_queue_number(session: AsyncSession, *, notice_id: int) -> int:
    last = await session.scalar(
        select(func.max(Rsvp.queue_number)).where(Rsvp.notice_id == notice_id)
    )
    return int(last or 0) + 1


async def answer_rsvp(
    session: AsyncSession, *, notice: Notice, user: User, answer: Answer, now: datetime
) -> RsvpResult:
    """Record the user's answer; a place is taken or freed, the waiting list moves."""
    await _lock_notice(session, notice_id=notice.id)
    rsvp = await find_rsvp(session, notice_id=notice.id, user_id=user.id)
    if rsvp is not None and rsvp.answer is answer:
        waiting = rsvp.standing is Standing.WAITING
        position = await waiting_position(session, rsvp=rsvp) if waiting else None
        return RsvpResult(rsvp.standing, position, None, changed=False)
    held = rsvp is not None and rsvp.standing is Standing.ATTENDING
    taken = answer is Answer.YES and await _take_place(session, notice_id=notice.id)
    standing = standing_after(answer, place_taken=taken)
    if rsvp is None:
        rsvp = Rsvp(notice_id=notice.id, user_id=user.id, reminded=False)
        session.add(rsvp)
    rsvp.answer, rsvp.standing, rsvp.answered_at = answer, standing, now
    waiting = standing is Standing.WAITING
    rsvp.queue_number = await _next_queue_number(session, notice_id=notice.id) if waiting else None
    await session.flush()
    promoted = None
    if held:
        await _free_place(session, notice_id=notice.id)
        promoted = await _promote(session, notice_id=notice.id)
    position = await waiting_position(session, rsvp=rsvp) if standing is Standing.WAITING else None
    return RsvpResult(standing, position, promoted, changed=True)


async def _promote(session: AsyncSession, *, notice_id: int) -> User | None:
    """Give the freed place to the first on the waiting list."""
    first = await session.scalar(
        select(Rsvp)
        .where(Rsvp.notice_id == notice_id, Rsvp.standing == Standing.WAITING)
        .order_by(Rsvp.queue_number)
        .limit(1)
    )
    if first is None or not await _take_place(session, notice_id=notice_id):
        return None
    first.standing, first.queue_number = Standing.ATTENDING, None
    await session.flush()
    return await session.get(User, first.user_id)


async def rsvp_list(session: AsyncSession, *, notice_id: int) -> list[tuple[Rsvp, User]]:
    rows = await session.execute(
        select(Rsvp, User)
        .join(User, User.id == Rsvp.user_id)
        .where(Rsvp.notice_id == notice_id)
        .order_by(Rsvp.answered_at, Rsvp.id)
    )
    return [(rsvp, user) for rsvp, user in rows]


async def rsvp_counts(session: AsyncSession, *, notice_id: int) -> dict[Standing, int]:
    rows = await session.execute(
        select(Rsvp.standing, func.count())
        .where(Rsvp.notice_id == notice_id)
        .group_by(Rsvp.standing)
    )
    counts = dict.fromkeys(Standing, 0)
    counts.update({Standing(standing): int(count) for standing, count in rows})
    return counts


async def find_pressed_notice(
    session: AsyncSession, *, notice_id: int, user_id: int, message_id: int
) -> Notice | None:
    """The notice whose RSVP button its own recipient pressed on the notice's own message."""
    delivered = (
        select(NoticeDelivery.id)
        .join(OutboxMessage, OutboxMessage.id == NoticeDelivery.outbox_id)
        .where(NoticeDelivery.notice_id == notice_id, NoticeDelivery.user_id == user_id)
        .where(OutboxMessage.message_id == message_id)
    )
    if await session.scalar(delivered) is None:
        return None
    return await session.get(Notice, notice_id)
