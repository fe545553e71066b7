"""Reading an exported workbook back with openpyxl and comparing it with the database."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from bot.texts import Texts
from domain.dates import WIB
from models.areas import Area, Ipal
from models.desludging import DesludgingRating, DesludgingRequest
from models.problems import ProblemEvent, ProblemReport
from models.reports import CURRENT, MonthlyReport
from models.users import User
from tests.support.harness import BotHarness

SHEETS = ["Laporan bulanan", "Masalah", "Sedot lumpur", "Daftar IPAL"]
ASPECTS = ("technical", "financial", "institutional", "governance")


def read_workbook(content: bytes) -> dict[str, Any]:
    return {ws.title: ws for ws in load_workbook(io.BytesIO(content)).worksheets}


def values(worksheet: Any) -> list[list[Any]]:
    """The data rows (the header left out)."""
    return [list(row) for row in worksheet.iter_rows(min_row=2, values_only=True)]


def check_layout(worksheet: Any) -> None:
    """The header row is frozen and filtered."""
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref is not None and worksheet.auto_filter.ref.startswith("A1:")


def wall(moment: datetime) -> datetime:
    return moment.astimezone(WIB).replace(tzinfo=None)


def near(a: Any, b: datetime, slack: float = 1) -> bool:
    """`a` is a moment within `slack` seconds of `b` (the test clock runs on)."""
    return isinstance(a, datetime) and abs(a - b) < timedelta(seconds=slack)


async def expected_reports(
    harness: BotHarness, codes: list[str], first: date, last: date
) -> list[Any]:
    async with harness.db.transaction() as session:
        query = (
            select(MonthlyReport, Ipal, User)
            .join(Ipal, Ipal.id == MonthlyReport.ipal_id)
            .join(User, User.id == MonthlyReport.reporter_id)
            .where(
                Ipal.code.in_(codes),
                MonthlyReport.status == CURRENT,
                MonthlyReport.period >= first.replace(day=1),
                MonthlyReport.period <= last,
            )
            .order_by(Ipal.code, MonthlyReport.period)
        )
        return list((await session.execute(query)).all())


def check_reports(worksheet: Any, expected: list[Any]) -> None:
    """Every cell of every report row: its value and its type, against the database."""
    texts = Texts("id")
    rows = values(worksheet)
    assert len(rows) == len(expected)
    for row, (report, ipal, reporter) in zip(rows, expected, strict=True):
        assert row[:4] == [ipal.code, ipal.name, ipal.kapanewon.name, ipal.kalurahan.name]
        assert row[4] == datetime(report.period.year, report.period.month, 1)
        assert row[5] == reporter.first_name
        assert row[6] == texts.plain(f"condition-{report.condition}")
        assert row[7] == (
            ", ".join(texts.plain(f"problem-kind-{k}") for k in report.problems) or None
        )
        assert row[8:11] == [
            report.active_connections,
            report.paying_households,
            report.fee_collected,
        ]
        assert all(isinstance(cell, int) and not isinstance(cell, bool) for cell in row[8:11])
        assert row[11:14] == [report.operator_active, report.board_met, report.books_up_to_date]
        assert all(isinstance(cell, bool) for cell in row[11:14])
        assert row[14] == texts.plain(f"export-severity-{report.severity}")
        assert row[15:19] == [texts.plain(f"export-light-{report.scores[a]}") for a in ASPECTS]
        assert near(row[19], wall(report.submitted_at))


async def expected_problems(harness: BotHarness, codes: list[str]) -> list[Any]:
    """(problem, IPAL, reporter, its changes of state oldest first) of these IPALs."""
    async with harness.db.transaction() as session:
        query = (
            select(ProblemReport, Ipal, User)
            .join(Ipal, Ipal.id == ProblemReport.ipal_id)
            .join(User, User.id == ProblemReport.reporter_id)
            .where(Ipal.code.in_(codes))
            .order_by(ProblemReport.id)
        )
        found = []
        for problem, ipal, reporter in (await session.execute(query)).all():
            events = await session.scalars(
                select(ProblemEvent)
                .where(ProblemEvent.problem_id == problem.id)
                .order_by(ProblemEvent.at, ProblemEvent.id)
            )
            found.append((problem, ipal, reporter, list(events)))
        return found


def history_text(texts: Texts, events: list[ProblemEvent]) -> str | None:
    """The follow-up history as the sheet should tell it, from the database's events."""
    told = []
    for event in events:
        line = (
            f"{wall(event.at):%Y-%m-%d %H:%M} {texts.plain(f'problem-state-{event.state_to}')}"
            f" {'oleh' if texts.language == 'id' else 'by'} {event.actor.first_name}"
        )
        if event.note:
            line += ": " + " ".join(event.note.split())
        if event.check_back_answer:
            line += f" ({texts.plain(f'export-check-back-{event.check_back_answer}')})"
        told.append(line)
    return "; ".join(told) or None


def check_problems(worksheet: Any, expected: list[Any]) -> None:
    """Every cell of every problem row, its follow-up history included, against the
    database."""
    texts = Texts("id")
    rows = values(worksheet)
    assert len(rows) == len(expected)
    for row, (problem, ipal, reporter, events) in zip(rows, expected, strict=True):
        assert row[:4] == [ipal.code, ipal.name, ipal.kapanewon.name, ipal.kalurahan.name]
        assert row[4] == problem.id and isinstance(row[4], int)
        assert row[5:10] == [
            texts.plain(f"problem-kind-{problem.kind}"),
            texts.plain(f"urgency-{problem.urgency}"),
            texts.plain(f"export-severity-{problem.severity}"),
            texts.plain(f"problem-state-{problem.state}"),
            reporter.first_name,
        ]
        assert near(row[10], wall(problem.reported_at))
        assert row[11] == len(events) and isinstance(row[11], int)
        if events:
            assert near(row[12], wall(events[-1].at))
        else:
            assert row[12] is None
        assert row[13] == history_text(texts, events)
        assert len(row) == 14


async def expected_requests(
    harness: BotHarness, codes: list[str], first: date, last: date
) -> list[Any]:
    """(request, IPAL, requester, rating or None) of these IPALs made in the period."""
    start = datetime(first.year, first.month, first.day, tzinfo=WIB)
    end = datetime(last.year, last.month, last.day, tzinfo=WIB) + timedelta(days=1)
    async with harness.db.transaction() as session:
        query = (
            select(DesludgingRequest, Ipal, User, DesludgingRating)
            .join(Ipal, Ipal.id == DesludgingRequest.ipal_id)
            .join(User, User.id == DesludgingRequest.requester_id)
            .outerjoin(DesludgingRating, DesludgingRating.request_id == DesludgingRequest.id)
            .where(
                Ipal.code.in_(codes),
                DesludgingRequest.requested_at >= start,
                DesludgingRequest.requested_at < end,
            )
            .order_by(DesludgingRequest.id)
        )
        return list((await session.execute(query)).all())


def midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day)


def check_requests(worksheet: Any, expected: list[Any]) -> None:
    """Every cell of every desludging row, its lifecycle and rating included, against the
    database."""
    texts = Texts("id")
    rows = values(worksheet)
    assert len(rows) == len(expected)
    for row, (request, ipal, requester, rating) in zip(rows, expected, strict=True):
        assert row[:4] == [ipal.code, ipal.name, ipal.kapanewon.name, ipal.kalurahan.name]
        assert row[4] == request.id and isinstance(row[4], int)
        assert row[5:12] == [
            texts.plain(f"desludging-reason-{request.reason}"),
            midnight(request.preferred_date),
            request.note,
            texts.plain(f"export-severity-{request.severity}"),
            texts.plain(f"request-state-{request.state}"),
            requester.first_name,
            row[11],
        ]
        assert near(row[11], wall(request.requested_at))
        assert row[12:15] == [
            midnight(request.scheduled_on),
            request.team,
            midnight(request.done_on),
        ]
        if request.volume_m3 is None:
            assert row[15] is None
        else:
            assert isinstance(row[15], float) and row[15] == float(request.volume_m3)
        if rating is None:
            assert row[16:21] == [None] * 5
        else:
            assert row[16] == rating.stars and isinstance(row[16], int)
            assert row[17:20] == [rating.no_spillage, rating.protective_gear, rating.site_clean]
            assert all(isinstance(cell, bool) for cell in row[17:20])
            assert near(row[20], wall(rating.rated_at))
        assert len(row) == 21


async def kalurahan_of(harness: BotHarness, code: str) -> str:
    async with harness.db.transaction() as session:
        ipal = await session.scalar(select(Ipal).where(Ipal.code == code))
        assert ipal is not None
        area = await session.get(Area, ipal.kalurahan_id)
        assert area is not None
        return area.name
