"""Monthly reports: one in force per IPAL and month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.areas import Ipal
from models.attachments import Attachments, Extras
from models.base import Base
from models.users import User

CURRENT = "current"


REPLACED = "replaced"


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


async def current_report(
    session: AsyncSession, *, ipal_id: int, period: date, lock: bool = False
) -> MonthlyReport | None:
    """The report in force for the IPAL and month (locked for update when asked)."""
    query = select(MonthlyReport).where(
        MonthlyReport.ipal_id == ipal_id,
        MonthlyReport.period == period,
        MonthlyReport.status == CURRENT,
    )
    if lock:
        query = query.with_for_update(of=MonthlyReport)
    return await session.scalar(query)


async def latest_report(
    session: AsyncSession, *, ipal_id: int, before: date | None = None
) -> MonthlyReport | None:
    """The newest report in force for the IPAL, for a month before `before` when given."""
    query = select(MonthlyReport).where(
        MonthlyReport.ipal_id == ipal_id, MonthlyReport.status == CURRENT
    )
    if before is not None:
        query = query.where(MonthlyReport.period < before)
    return await session.scalar(query.order_by(MonthlyReport.period.desc()).limit(1))


@dataclass(frozen=True)
class ReportDraft:
    """A monthly report as the member confirmed it, with its severity and scores."""

    ipal_id: int
    period: date
    reporter_id: int
    condition: str
    problems: list[str]
    active_connections: int
    paying_households: int
    fee_collected: int
    operator_active: bool
    board_met: bool
    books_up_to_date: bool
    severity: str
    scores: dict[str, Any]
    extras: Extras = field(default_factory=Extras)


async def record_report(
    session: AsyncSession, *, draft: ReportDraft, replaces_id: int | None, now: datetime
) -> MonthlyReport | None:
    """Store the report as the one in force for its month, marking `replaces_id` replaced.

    Returns None, storing nothing, when another report is in force for the month: one sent
    before (not the one the member chose to replace) or at the same moment.
    """
    await session.flush()
    current = await current_report(session, ipal_id=draft.ipal_id, period=draft.period, lock=True)
    if current is not None and current.id != replaces_id:
        return None
    fields = {name: value for name, value in vars(draft).items() if name != "extras"}
    report = MonthlyReport(**fields, status=CURRENT, submitted_at=now)
    draft.extras.apply(report)
    try:
        async with session.begin_nested():
            if current is not None:
                current.status = REPLACED
                await session.flush()
            session.add(report)
            await session.flush()
    except IntegrityError:
        return None
    if current is not None:
        current.replaced_by_id = report.id
    await session.refresh(report, ["ipal", "reporter"])
    return report
