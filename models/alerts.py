"""One alert per recipient about a report, a problem or a desludging request; who receives it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, UniqueConstraint, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from domain.routing import Purpose
from domain.vocabulary import Role
from models.areas import Ipal
from models.base import Base
from models.outbox import OutboxMessage
from models.users import RoleGrant, User


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("subject", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))
    """`kind:id` of what the alert is about, e.g. `problem:12`."""
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    severity: Mapped[str] = mapped_column(String(12))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(24))
    """Why this recipient got it: their role (kalurahan_official, operator, …)."""
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime]


@dataclass(frozen=True)
class Recipient:
    user: User
    role: Role
    purpose: Purpose


@dataclass(frozen=True)
class Subject:
    """What the alerts are about: `kind:id` (e.g. `problem:12`), its IPAL and severity."""

    key: str
    ipal: Ipal
    severity: str


Send = Callable[[Recipient, Alert], Awaitable[OutboxMessage | None]]
"""Queue the message of this (new, flushed) alert to its recipient."""


def _grant_matches(role: Role, ipal: Ipal) -> ColumnElement[bool]:
    """Officials of the IPAL's own kalurahan or kapanewon; operators and admins everywhere."""
    if role is Role.KALURAHAN_OFFICIAL:
        return and_(RoleGrant.role == role.value, RoleGrant.area_id == ipal.kalurahan_id)
    if role is Role.KAPANEWON_OFFICIAL:
        return and_(RoleGrant.role == role.value, RoleGrant.area_id == ipal.kapanewon.id)
    return RoleGrant.role == role.value


async def find_recipients(
    session: AsyncSession, *, ipal: Ipal, audience: Mapping[Role, Purpose]
) -> list[Recipient]:
    """Each user holding one of the audience's roles for this IPAL once (acting before only
    knowing), leaving out users who blocked the bot or were deactivated."""
    if not audience:
        return []
    rows = await session.execute(
        select(User, RoleGrant.role)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            or_(*(_grant_matches(role, ipal) for role in audience)),
            User.is_blocked.is_(False),
            User.deactivated_at.is_(None),
        )
        .order_by(User.id, RoleGrant.id)
    )
    found: dict[int, Recipient] = {}
    for user, role_value in rows:
        role = Role(role_value)
        held = found.get(user.id)
        if held is None or (held.purpose is Purpose.INFO and audience[role] is Purpose.ACT):
            found[user.id] = Recipient(user, role, audience[role])
    return list(found.values())


async def send_alerts(
    session: AsyncSession,
    *,
    subject: Subject,
    recipients: list[Recipient],
    send: Send,
    now: datetime,
) -> list[Alert]:
    """One alert per recipient (none twice for the same subject), its message queued by
    `send`."""
    already = set(
        await session.scalars(select(Alert.recipient_id).where(Alert.subject == subject.key))
    )
    alerts = []
    for recipient in recipients:
        if recipient.user.id in already:
            continue
        alert = Alert(
            subject=subject.key,
            ipal_id=subject.ipal.id,
            severity=subject.severity,
            recipient_id=recipient.user.id,
            reason=recipient.role.value,
            created_at=now,
        )
        session.add(alert)
        await session.flush()
        message = await send(recipient, alert)
        if message is not None:
            alert.outbox_id = message.id
        alerts.append(alert)
    return alerts


async def find_pressed_alert(
    session: AsyncSession, *, alert_id: int, recipient_id: int, chat_id: int, message_id: int
) -> Alert | None:
    """The alert, when its own recipient pressed its button on the message it was sent as."""
    found: Alert | None = await session.scalar(
        select(Alert)
        .join(OutboxMessage, OutboxMessage.id == Alert.outbox_id)
        .where(
            Alert.id == alert_id,
            Alert.recipient_id == recipient_id,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.message_id == message_id,
        )
    )
    return found
