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
from models.problems import ProblemReport
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


def near(a: Any, b: datetime) -> bool:
    return isinstance(a, datetime) and abs(a - b) < timedelta(seconds=1)


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
    async with harness.db.transaction() as session:
        query = (
            select(ProblemReport, Ipal)
            .join(Ipal, Ipal.id == ProblemReport.ipal_id)
            .where(Ipal.code.in_(codes))
            .order_by(ProblemReport.id)
        )
        return list((await session.execute(query)).all())


def check_problems(worksheet: Any, expected: list[Any]) -> None:
    texts = Texts("id")
    rows = values(worksheet)
    assert len(rows) == len(expected)
    for row, (problem, ipal) in zip(rows, expected, strict=True):
        assert row[0] == ipal.code
        assert row[4] == problem.id and isinstance(row[4], int)
        assert row[5:9] == [
            texts.plain(f"problem-kind-{problem.kind}"),
            texts.plain(f"urgency-{problem.urgency}"),
            texts.plain(f"export-severity-{problem.severity}"),
            texts.plain(f"problem-state-{problem.state}"),
        ]
        assert near(row[10], wall(problem.reported_at))


async def kalurahan_of(harness: BotHarness, code: str) -> str:
    async with harness.db.transaction() as session:
        ipal = await session.scalar(select(Ipal).where(Ipal.code == code))
        assert ipal is not None
        area = await session.get(Area, ipal.kalurahan_id)
        assert area is not None
        return area.name
