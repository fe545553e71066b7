"""What the summary (`/rekap`) and the export (`/ekspor`, `sanimas export`) read of an area.

Every query is limited to one `Scope` (the whole district, a kapanewon, a kalurahan or one
IPAL). The export's rows are streamed (`session.stream`) so a year of a district never sits in
memory at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.dates import WIB
from domain.lifecycles import OPEN_PROBLEM_STATES, RequestState
from domain.summary import (
    DesludgingFacts,
    IpalFacts,
    OperatorRating,
    ProblemFacts,
    ReportFacts,
)
from models.areas import Area, Ipal
from models.desludging import DesludgingRating, DesludgingRequest
from models.problems import ProblemEvent, ProblemReport
from models.reports import CURRENT, MonthlyReport
from models.users import User

STREAM_BATCH = 1000


@dataclass(frozen=True)
class Scope:
    """The area asked about: all of the district (nothing set), a kapanewon, a kalurahan or one
    IPAL."""

    kapanewon_id: int | None = None
    kalurahan_id: int | None = None
    ipal_id: int | None = None


@dataclass(frozen=True)
class Period:
    """From the first to the last day, both included."""

    first: date
    last: date

    def start(self) -> datetime:
        return datetime.combine(self.first, time(), WIB)

    def end(self) -> datetime:
        """The moment after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), WIB)


Kalurahan = aliased(Area, name="kalurahan")
Kapanewon = aliased(Area, name="kapanewon")
Actor = aliased(User, name="actor")


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.ipal_id is not None:
        return Ipal.id == scope.ipal_id
    if scope.kalurahan_id is not None:
        return Ipal.kalurahan_id == scope.kalurahan_id
    if scope.kapanewon_id is not None:
        return Kalurahan.parent_id == scope.kapanewon_id
    return true()


AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def _with_areas(query: AnySelect, scope: Scope) -> AnySelect:
    """`query` (which selects from `ipals`) joined to the IPAL's areas and limited to `scope`."""
    return (
        query.join(Kalurahan, Kalurahan.id == Ipal.kalurahan_id)
        .join(Kapanewon, Kapanewon.id == Kalurahan.parent_id)
        .where(_in_scope(scope))
    )


async def ipal_facts(
    session: AsyncSession, *, scope: Scope, default_interval: int
) -> list[IpalFacts]:
    query = _with_areas(
        select(
            Ipal.id, Ipal.built_year, Ipal.last_desludged_on, Ipal.desludging_interval_months
        ).select_from(Ipal),
        scope,
    )
    return [
        IpalFacts(row[0], row[1], row[2], row[3] or default_interval)
        for row in await session.execute(query)
    ]


async def report_facts(session: AsyncSession, *, scope: Scope, since: date) -> list[ReportFacts]:
    """The reports in force from the month of `since` on."""
    query = _with_areas(
        select(
            MonthlyReport.ipal_id,
            MonthlyReport.period,
            MonthlyReport.condition,
            MonthlyReport.scores,
        )
        .select_from(MonthlyReport)
        .join(Ipal, Ipal.id == MonthlyReport.ipal_id),
        scope,
    ).where(MonthlyReport.status == CURRENT, MonthlyReport.period >= since)
    return [ReportFacts(*row) for row in await session.execute(query)]


async def open_problem_facts(session: AsyncSession, *, scope: Scope) -> list[ProblemFacts]:
    query = _with_areas(
        select(ProblemReport.ipal_id, ProblemReport.reported_at)
        .select_from(ProblemReport)
        .join(Ipal, Ipal.id == ProblemReport.ipal_id),
        scope,
    ).where(ProblemReport.state.in_(OPEN_PROBLEM_STATES))
    return [ProblemFacts(*row) for row in await session.execute(query)]


async def desludging_facts(
    session: AsyncSession, *, scope: Scope, since: date
) -> list[DesludgingFacts]:
    """The scope's requests done on or after `since` (their lifecycle's `done_on`)."""
    query = _with_areas(
        select(DesludgingRequest.ipal_id, DesludgingRequest.done_on)
        .select_from(DesludgingRequest)
        .join(Ipal, Ipal.id == DesludgingRequest.ipal_id),
        scope,
    ).where(
        DesludgingRequest.state == RequestState.DONE,
        DesludgingRequest.done_on.is_not(None),
        DesludgingRequest.done_on >= since,
    )
    return [
        DesludgingFacts(ipal_id, done_on)
        for ipal_id, done_on in await session.execute(query)
        if done_on is not None
    ]


async def operator_ratings(
    session: AsyncSession, *, scope: Scope, since: date
) -> list[OperatorRating]:
    """The stars of the scope's desludgings done on or after `since`, averaged per operator
    (the team the operator named when scheduling; `""` for those that named none), in one
    grouped query."""
    team = func.coalesce(DesludgingRequest.team, "")
    query = (
        _with_areas(
            select(team, func.count(DesludgingRating.id), func.avg(DesludgingRating.stars))
            .select_from(DesludgingRating)
            .join(DesludgingRequest, DesludgingRequest.id == DesludgingRating.request_id)
            .join(Ipal, Ipal.id == DesludgingRequest.ipal_id),
            scope,
        )
        .where(DesludgingRequest.done_on.is_not(None), DesludgingRequest.done_on >= since)
        .group_by(team)
    )
    return [
        OperatorRating(str(row[0]), int(row[1]), float(row[2]))
        for row in await session.execute(query)
    ]


async def ipals_in(session: AsyncSession, *, scope: Scope) -> list[tuple[int, str, str]]:
    """(id, code, name) of the scope's IPALs, by code."""
    query = _with_areas(select(Ipal.id, Ipal.code, Ipal.name).select_from(Ipal), scope)
    return [(row[0], row[1], row[2]) for row in await session.execute(query.order_by(Ipal.code))]


async def stream_rows(
    session: AsyncSession, query: Select[Any]
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The query's rows in batches of `STREAM_BATCH`, fetched from the database a batch at a
    time (a server-side cursor on PostgreSQL): plain column values, no ORM objects. The next
    batch is asked for before this one is handed on, so the database reads it while the
    caller works on this one."""
    connection = await session.connection()
    result = await connection.stream(query.execution_options(yield_per=STREAM_BATCH))
    batches = result.partitions(STREAM_BATCH).__aiter__()
    ahead: asyncio.Future[list[Any]] = asyncio.ensure_future(anext(batches))
    try:
        while True:
            try:
                batch = await ahead
            except StopAsyncIteration:
                return
            ahead = asyncio.ensure_future(anext(batches))
            await asyncio.sleep(0)  # let the request for the next batch go out
            yield [tuple(row) for row in batch]
    finally:
        if not ahead.done():
            ahead.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await ahead
        await result.close()


async def count_rows(session: AsyncSession, query: Select[Any]) -> int:
    """How many rows the query gives (for a progress bar)."""
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return int(await session.scalar(counted) or 0)


def _ipal_columns() -> tuple[Any, ...]:
    return (Ipal.code, Ipal.name, Kapanewon.name, Kalurahan.name)


def reports_query(*, scope: Scope, period: Period) -> Select[Any]:
    """The reports in force for the months of `period`, by IPAL and month: the IPAL's code,
    name, kapanewon and kalurahan, then the report's period, reporter, condition, problems,
    active connections, paying households, fee, operator active, board met, books up to date,
    severity, scores and the moment it was sent."""
    query = _with_areas(
        select(
            *_ipal_columns(),
            MonthlyReport.period,
            User.first_name,
            MonthlyReport.condition,
            MonthlyReport.problems,
            MonthlyReport.active_connections,
            MonthlyReport.paying_households,
            MonthlyReport.fee_collected,
            MonthlyReport.operator_active,
            MonthlyReport.board_met,
            MonthlyReport.books_up_to_date,
            MonthlyReport.severity,
            MonthlyReport.scores,
            MonthlyReport.submitted_at,
        )
        .select_from(MonthlyReport)
        .join(Ipal, Ipal.id == MonthlyReport.ipal_id)
        .join(User, User.id == MonthlyReport.reporter_id),
        scope,
    ).where(
        MonthlyReport.status == CURRENT,
        MonthlyReport.period >= period.first.replace(day=1),
        MonthlyReport.period <= period.last,
    )
    return query.order_by(Ipal.code, MonthlyReport.period)


PROBLEM_FIELDS = 11
"""The columns of `problems_query` before its follow-up history's."""


def problems_query(*, scope: Scope, period: Period, history: bool = True) -> Select[Any]:
    """Problems reported in `period`, by number: the IPAL's columns, then number, kind,
    urgency, severity, state, reporter and the moment reported.

    With `history`, each problem comes once per change of its state, oldest first (once with
    `None`s when it has none): the moment, the new state, who made it, the note and the
    reporter's check-back answer. One ordered stream, no query per problem.
    """
    columns: tuple[Any, ...] = (
        *_ipal_columns(),
        ProblemReport.id,
        ProblemReport.kind,
        ProblemReport.urgency,
        ProblemReport.severity,
        ProblemReport.state,
        User.first_name,
        ProblemReport.reported_at,
    )
    if history:
        columns += (
            ProblemEvent.at,
            ProblemEvent.state_to,
            Actor.first_name,
            ProblemEvent.note,
            ProblemEvent.check_back_answer,
        )
    query = (
        select(*columns)
        .select_from(ProblemReport)
        .join(Ipal, Ipal.id == ProblemReport.ipal_id)
        .join(User, User.id == ProblemReport.reporter_id)
    )
    if history:
        query = query.outerjoin(
            ProblemEvent, ProblemEvent.problem_id == ProblemReport.id
        ).outerjoin(Actor, Actor.id == ProblemEvent.actor_id)
    query = _with_areas(query, scope).where(
        ProblemReport.reported_at >= period.start(), ProblemReport.reported_at < period.end()
    )
    if history:
        return query.order_by(ProblemReport.id, ProblemEvent.at, ProblemEvent.id)
    return query.order_by(ProblemReport.id)


def requests_query(*, scope: Scope, period: Period) -> Select[Any]:
    """Desludging requests made in `period`: the IPAL's columns, then number, reason,
    preferred date, note, severity, state, requester, the moment requested, the day
    scheduled, the team, the day done, the volume (m³), and the member's rating (stars, the
    three checklist items, the moment rated; `None`s when not rated), joined in."""
    query = _with_areas(
        select(
            *_ipal_columns(),
            DesludgingRequest.id,
            DesludgingRequest.reason,
            DesludgingRequest.preferred_date,
            DesludgingRequest.note,
            DesludgingRequest.severity,
            DesludgingRequest.state,
            User.first_name,
            DesludgingRequest.requested_at,
            DesludgingRequest.scheduled_on,
            DesludgingRequest.team,
            DesludgingRequest.done_on,
            DesludgingRequest.volume_m3,
            DesludgingRating.stars,
            DesludgingRating.no_spillage,
            DesludgingRating.protective_gear,
            DesludgingRating.site_clean,
            DesludgingRating.rated_at,
        )
        .select_from(DesludgingRequest)
        .join(Ipal, Ipal.id == DesludgingRequest.ipal_id)
        .join(User, User.id == DesludgingRequest.requester_id)
        .outerjoin(DesludgingRating, DesludgingRating.request_id == DesludgingRequest.id),
        scope,
    ).where(
        DesludgingRequest.requested_at >= period.start(),
        DesludgingRequest.requested_at < period.end(),
    )
    return query.order_by(DesludgingRequest.id)


def registry_query(*, scope: Scope, period: Period) -> Select[Any]:
    """The scope's IPALs by code: their columns, house connections, year built, last
    desludging, interval (None for the default), how many months of `period` they reported,
    and how many desludgings were done in `period` (by the requests' `done_on`)."""
    reported = (
        select(func.count(MonthlyReport.id))
        .where(
            MonthlyReport.ipal_id == Ipal.id,
            MonthlyReport.status == CURRENT,
            MonthlyReport.period >= period.first.replace(day=1),
            MonthlyReport.period <= period.last,
        )
        .scalar_subquery()
    )
    desludged = (
        select(func.count(DesludgingRequest.id))
        .where(
            DesludgingRequest.ipal_id == Ipal.id,
            DesludgingRequest.state == RequestState.DONE,
            DesludgingRequest.done_on >= period.first,
            DesludgingRequest.done_on <= period.last,
        )
        .scalar_subquery()
    )
    query = _with_areas(
        select(
            *_ipal_columns(),
            Ipal.house_connections,
            Ipal.built_year,
            Ipal.last_desludged_on,
            Ipal.desludging_interval_months,
            reported,
            desludged,
        ).select_from(Ipal),
        scope,
    )
    return query.order_by(Ipal.code)
