"""Problems members report, the facts they add to an open one, and how they are followed up:
each change of state with who, when and the note (`problem_events`), and which alert subjects
are about which problems (`problem_subjects`), so that every copy of an alert can be found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.lifecycles import OPEN_PROBLEM_STATES, ProblemState
from domain.severity import problem_severity
from domain.vocabulary import Condition, ProblemKind, Urgency
from models.alerts import Alert
from models.areas import Ipal, load_ipal
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


class ProblemEvent(Base):
    """One change of a problem's state: who made it, when, and what they noted."""

    __tablename__ = "problem_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem_reports.id"), index=True)
    state_from: Mapped[str] = mapped_column(String(16))
    state_to: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]
    check_back_at: Mapped[datetime | None]
    """For a resolution: when the reporter was asked whether it is fixed."""
    check_back_answer: Mapped[str | None] = mapped_column(String(12))
    """The reporter's answer to that question (`fixed`, `not_fixed`), once given."""

    actor: Mapped[User] = relationship(lazy="joined")


class ProblemSubject(Base):
    """An alert subject (`kind:id`) that is about this problem: its own, or a report's."""

    __tablename__ = "problem_subjects"

    subject: Mapped[str] = mapped_column(String(40), primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem_reports.id"), primary_key=True)


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


async def load_problem(session: AsyncSession, *, problem_id: int) -> ProblemReport | None:
    """The problem with its IPAL's kalurahan and kapanewon loaded (texts name both)."""
    problem = await session.get(ProblemReport, problem_id)
    if problem is not None:
        await load_ipal(session, ipal_id=problem.ipal_id)
    return problem


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
    """Each problem the report is about: the open one of a kind it ticked, else a new one (a
    report saying the IPAL does not work is about a `broken` problem even with nothing ticked).

    The report's own alert tells the officials; these rows let `/status` and the officials'
    follow-up track each problem until it is resolved.
    """
    already = {
        problem.kind: problem for problem in await open_problems(session, ipal_id=report.ipal_id)
    }
    kinds = list(report.problems)
    if report.condition == Condition.BROKEN and not kinds:
        kinds = [ProblemKind.BROKEN]
    opened = []
    for kind in kinds:
        if kind in already:
            opened.append(already[kind])
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


REOPEN = "reopen"


def reopen_subject(problem_id: int, event_id: int) -> str:
    """The subject of the alerts about a problem opened again (`problem_events` row
    `event_id`): sent again when the reporter says it is not fixed, and its escalations."""
    return f"problem:{problem_id}:{REOPEN}:{event_id}"


async def link_subject(session: AsyncSession, *, subject: str, problem_ids: list[int]) -> None:
    """Remember that alerts about `subject` are about these problems."""
    known = set(
        await session.scalars(
            select(ProblemSubject.problem_id).where(ProblemSubject.subject == subject)
        )
    )
    for problem_id in problem_ids:
        if problem_id not in known:
            session.add(ProblemSubject(subject=subject, problem_id=problem_id))
    await session.flush()


async def problems_of_subject(session: AsyncSession, *, subject: str) -> list[ProblemReport]:
    """The problems alerts about `subject` are about, in the order they were opened."""
    return list(
        await session.scalars(
            select(ProblemReport)
            .join(ProblemSubject, ProblemSubject.problem_id == ProblemReport.id)
            .where(ProblemSubject.subject == subject)
            .order_by(ProblemReport.id)
        )
    )


async def alerts_about(session: AsyncSession, *, problem_id: int) -> list[Alert]:
    """Every alert (each recipient's copy, escalated ones too) about the problem, oldest first."""
    subjects = select(ProblemSubject.subject).where(ProblemSubject.problem_id == problem_id)
    return list(
        await session.scalars(select(Alert).where(Alert.subject.in_(subjects)).order_by(Alert.id))
    )


async def record_move(
    session: AsyncSession,
    *,
    problem: ProblemReport,
    state: ProblemState,
    actor_id: int,
    now: datetime,
    note: str | None = None,
    photo_file_id: str | None = None,
) -> ProblemEvent:
    """Move the problem to `state` and keep the change in its history (the caller has checked
    that the lifecycle allows it)."""
    event = ProblemEvent(
        problem_id=problem.id,
        state_from=problem.state,
        state_to=state,
        actor_id=actor_id,
        note=note,
        photo_file_id=photo_file_id,
        at=now,
    )
    problem.state = state
    session.add(event)
    await session.flush()
    await session.refresh(event, ["actor"])
    return event


async def history_of(session: AsyncSession, *, problem_id: int) -> list[ProblemEvent]:
    """The problem's changes of state, oldest first."""
    return list(
        await session.scalars(
            select(ProblemEvent)
            .where(ProblemEvent.problem_id == problem_id)
            .order_by(ProblemEvent.at, ProblemEvent.id)
        )
    )


async def last_move(session: AsyncSession, *, problem_id: int) -> ProblemEvent | None:
    """The problem's newest change of state."""
    found: ProblemEvent | None = await session.scalar(
        select(ProblemEvent)
        .where(ProblemEvent.problem_id == problem_id)
        .order_by(ProblemEvent.at.desc(), ProblemEvent.id.desc())
        .limit(1)
    )
    return found


async def due_check_backs(
    session: AsyncSession, *, resolved_before: datetime
) -> list[ProblemEvent]:
    """Resolutions made before `resolved_before` whose reporter was not asked yet, of problems
    still resolved; oldest first."""
    return list(
        await session.scalars(
            select(ProblemEvent)
            .join(ProblemReport, ProblemReport.id == ProblemEvent.problem_id)
            .where(
                ProblemEvent.state_to == ProblemState.RESOLVED,
                ProblemEvent.check_back_at.is_(None),
                ProblemEvent.at <= resolved_before,
                ProblemReport.state == ProblemState.RESOLVED,
            )
            .order_by(ProblemEvent.at, ProblemEvent.id)
        )
    )


async def follow_up_problems(session: AsyncSession) -> list[ProblemReport]:
    """Every open or acknowledged problem, oldest first (the caller keeps those the user may
    see)."""
    return list(
        await session.scalars(
            select(ProblemReport)
            .where(ProblemReport.state.in_(OPEN_PROBLEM_STATES))
            .order_by(ProblemReport.reported_at, ProblemReport.id)
        )
    )
