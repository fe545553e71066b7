"""Data functions for what KSM members send: problems, desludging requests, monthly reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from domain.severity import problem_severity
from domain.vocabulary import ProblemKind, Urgency
from models.areas import Area, Ipal
from models.reports import (
    CURRENT,
    OPEN_REQUEST_STATES,
    REPLACED,
    Attachments,
    DesludgingRequest,
    MonthlyReport,
    ProblemAddition,
    ProblemReport,
)

OPEN_PROBLEM_STATES = ("open", "acknowledged")


@dataclass(frozen=True)
class Extras:
    """The optional photo, voice note, location and note of a report, as Telegram gave them."""

    photo: tuple[str, str] | None = None
    """(file_id, file_unique_id)"""
    voice: tuple[str, str] | None = None
    location: tuple[float, float] | None = None
    note: str | None = None

    def apply(self, row: Attachments) -> None:
        row.photo_file_id, row.photo_file_unique_id = self.photo or (None, None)
        row.voice_file_id, row.voice_file_unique_id = self.voice or (None, None)
        row.latitude, row.longitude = self.location or (None, None)
        row.note = self.note


async def load_ipal(session: AsyncSession, *, ipal_id: int) -> Ipal | None:
    """The IPAL with its kalurahan and kapanewon loaded (alerts and texts name both)."""
    return await session.scalar(
        select(Ipal)
        .where(Ipal.id == ipal_id)
        .options(joinedload(Ipal.kalurahan).joinedload(Area.parent))
        .execution_options(populate_existing=True)
    )


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
        state="open",
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
        state="requested",
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
