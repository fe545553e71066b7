"""What each user turned off for themselves, and the reminder steps the sweeps have handled."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Insert, String, UniqueConstraint, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from domain.reminders import ReminderKind
from models.base import Base
from models.users import User


class ReminderOptOut(Base):
    """One kind of reminder a user does not want (`/pengingat`); none means all are on."""

    __tablename__ = "reminder_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    since: Mapped[datetime]


class SweepMark(Base):
    """A step a sweep has handled for everybody concerned (`monthly:2026-11:2026-11-25`,
    `escalation:problem:12:kapanewon`): inserted once, so that step is never handled again."""

    __tablename__ = "sweep_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    done_at: Mapped[datetime]


def wants(kind: ReminderKind) -> ColumnElement[bool]:
    """A condition on `User`: they have not turned `kind` off."""
    return ~exists().where(ReminderOptOut.user_id == User.id, ReminderOptOut.kind == kind.value)


async def opted_out(session: AsyncSession, *, user_id: int) -> set[ReminderKind]:
    kinds = await session.scalars(
        select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user_id)
    )
    return {ReminderKind(kind) for kind in kinds if kind in ReminderKind._value2member_map_}


async def set_wanted(
    session: AsyncSession, *, user_id: int, kind: ReminderKind, wanted: bool, now: datetime
) -> None:
    """Turn one kind of reminder on or off for the user (doing it twice changes nothing)."""
    found = await session.scalar(
        select(ReminderOptOut).where(
            ReminderOptOut.user_id == user_id, ReminderOptOut.kind == kind.value
        )
    )
    if wanted and found is not None:
        await session.delete(found)
    elif not wanted and found is None:
        session.add(ReminderOptOut(user_id=user_id, kind=kind.value, since=now))
    await session.flush()


def _insert_mark(session: AsyncSession) -> Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(SweepMark).on_conflict_do_nothing(index_elements=["key"])
    return sqlite.insert(SweepMark).on_conflict_do_nothing(index_elements=["key"])


async def claim_step(session: AsyncSession, *, key: str, now: datetime) -> bool:
    """Mark the step `key` handled; False when it was (even by a sweep not yet committed,
    which this one then waits for on PostgreSQL)."""
    inserted = _insert_mark(session).values(key=key, done_at=now).returning(SweepMark.id)
    return (await session.scalar(inserted)) is not None


async def claimed(session: AsyncSession, *, keys: Collection[str]) -> set[str]:
    """Which of these steps were handled already."""
    if not keys:
        return set()
    return set(await session.scalars(select(SweepMark.key).where(SweepMark.key.in_(list(keys)))))
