"""What KSM members send: monthly reports, problem reports, desludging requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.areas import Ipal
from models.base import Base
from models.users import User

CURRENT = "current"
REPLACED = "replaced"
OPEN_REQUEST_STATES = ("requested", "scheduled")


class Attachments:
    """Photo, voice note, location and note columns shared by everything a member sends."""

    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    photo_file_unique_id: Mapped[str | None] = mapped_column(String(64))
    voice_file_id: Mapped[str | None] = mapped_column(String(200))
    voice_file_unique_id: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)


class MonthlyReport(Attachments, Base):
    __tablename__ = "monthly_reports"
    __table_args__ = (
        Index(
            "uq_monthly_reports_current_period",
            "ipal_id",
            "period",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    period: Mapped[date]
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    condition: Mapped[str] = mapped_column(String(12))
    problems: Mapped[list[str]] = mapped_column(default=list)
    active_connections: Mapped[int]
    paying_households: Mapped[int]
    fee_collected: Mapped[int] = mapped_column(BigInteger)
    operator_active: Mapped[bool]
    board_met: Mapped[bool]
    books_up_to_date: Mapped[bool]
    severity: Mapped[str] = mapped_column(String(12))
    scores: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default=CURRENT)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("monthly_reports.id"))
    submitted_at: Mapped[datetime]

    ipal: Mapped[Ipal] = relationship(lazy="joined")
    reporter: Mapped[User] = relationship(lazy="joined")


class ProblemReport(Attachments, Base):
    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[str] = mapped_column(String(12))
    severity: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16), default="open")
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    monthly_report_id: Mapped[int | None] = mapped_column(ForeignKey("monthly_reports.id"))
    reported_at: Mapped[datetime]

    ipal: Mapped[Ipal] = relationship(lazy="joined")
    reporter: Mapped[User] = relationship(lazy="joined")


class ProblemAddition(Attachments, Base):
    """More facts a member adds to a problem that is already open."""

    __tablename__ = "problem_additions"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem_reports.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]


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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    reason: Mapped[str] = mapped_column(String(12))
    preferred_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16), default="requested")
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]

    ipal: Mapped[Ipal] = relationship(lazy="joined")
    requester: Mapped[User] = relationship(lazy="joined")
