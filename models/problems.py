"""Problems members report, and the facts they add to an open one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.lifecycles import OPEN_PROBLEM_STATES, ProblemState
from domain.severity import problem_severity
from domain.vocabulary import ProblemKind, Urgency
from models.areas import Ipal
from models.attachments import Attachments, Extras
from models.base import Base
from models.reports import MonthlyReport
from models.users import User


class ProblemReport(Attachments, Base):
    __tablename__ = "problem_reports"
    __table_args__ = (Index("ix_problem_reports_state_reported_at", "state", "reported_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[str] = mapped_column(String(12))
    severity: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16), default=ProblemState.OPEN)
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


async def open_problems(
    session: AsyncSession, *, ipal_id: int, kind: str | None = None
) -> list[ProblemReport]:
    """Problems of the IPAL not yet resolved, oldest first; only of `kind` when given."""
    query = select(ProblemReport).where(
        ProblemReport.ipal_id == ipal_id, ProblemReport.state.in_(OPEN_PROBLEM_STATES)
    )
    if kind is not None:
        query = query.where(ProblemReport.kind == kind)
    return list(await session.scalars(query.order_by(ProblemReport.reported_at, ProblemReport.id)))


async def find_problem(session: AsyncSession, *, problem_id: int) -> ProblemReport | None:
    return await session.get(ProblemReport, problem_id)


async def record_problem(
    session: AsyncSession,
    *,
    ipal_id: int,
    reporter_id: int,
    kind: str,
    urgency: str,
    severity: str,
    extras: Extras,
    now: datetime,
    monthly_report_id: int | None = None,
) -> ProblemReport:
    problem = ProblemReport(
        ipal_id=ipal_id,
        reporter_id=reporter_id,
        kind=kind,
        urgency=urgency,
        severity=severity,
        state=ProblemState.OPEN,
        monthly_report_id=monthly_report_id,
        reported_at=now,
    )
    extras.apply(problem)
    session.add(problem)
    await session.flush()
    await session.refresh(problem, ["ipal", "reporter"])
    return problem


async def add_to_problem(
    session: AsyncSession, *, problem_id: int, user_id: int, extras: Extras, now: datetime
) -> ProblemAddition:
    addition = ProblemAddition(problem_id=problem_id, user_id=user_id, added_at=now)
    extras.apply(addition)
    session.add(addition)
    await session.flush()
    return addition


async def open_problems_from_report(
    session: AsyncSession, *, report: MonthlyReport, now: datetime
) -> list[ProblemReport]:
    """Open a problem for each kind the report ticked that is not open for the IPAL already.

    The report's own alert tells the officials; these rows let `/status` and the officials'
    follow-up track each problem until it is resolved.
    """
    already = {problem.kind for problem in await open_problems(session, ipal_id=report.ipal_id)}
    opened = []
    for kind in report.problems:
        if kind in already:
            continue
        opened.append(
            await record_problem(
                session,
                ipal_id=report.ipal_id,
                reporter_id=report.reporter_id,
                kind=kind,
                urgency=Urgency.LOW,
                severity=problem_severity(ProblemKind(kind), Urgency.LOW),
                extras=Extras(),
                now=now,
                monthly_report_id=report.id,
            )
        )
    return opened
