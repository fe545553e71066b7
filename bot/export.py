"""The XLSX export of an area (`/ekspor` and `sanimas export` share it).

Four sheets: the monthly reports (every field and the four scores), the problems, the
desludging requests, and the IPAL registry with its report compliance and next LLTT date.
Headers are in the user's language; cells have real types (dates as dates, numbers as numbers,
rupiah with a number format); the header row is frozen and filtered. Rows stream from the
database into xlsxwriter's constant-memory writer, so memory stays flat however many rows
there are (and column widths come from the header and the type: `autofit()` needs every row).

The problems' follow-up history and the desludging ratings come each from one function
(`problem_history`, `request_rating`), to be pointed at their tables once those exist.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.texts import Texts
from domain.dates import WIB
from domain.lltt import next_lltt_due
from models.summaries import (
    Period,
    Scope,
    count_rows,
    problems_query,
    registry_query,
    reports_query,
    requests_query,
    stream_rows,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ASPECTS = ("technical", "financial", "institutional", "governance")
Progress = Callable[[str, int, int], None]
"""Told (sheet, rows written so far, rows of the sheet) as the rows go out."""
PROGRESS_EVERY = 500


class Kind(enum.Enum):
    """A column's type: how its cells are written and how wide it is."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    RUPIAH = "rupiah"
    DATE = "date"
    MONTH = "month"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    PERCENT = "percent"


WIDTHS: dict[Kind, int] = {
    Kind.TEXT: 18,
    Kind.LONG_TEXT: 36,
    Kind.INTEGER: 10,
    Kind.RUPIAH: 16,
    Kind.DATE: 12,
    Kind.MONTH: 10,
    Kind.DATETIME: 17,
    Kind.BOOLEAN: 8,
    Kind.PERCENT: 10,
}
"""Each type's column width in characters; a longer header widens its column."""


FORMATS: dict[Kind, str] = {
    Kind.RUPIAH: '"Rp" #,##0',
    Kind.DATE: "yyyy-mm-dd",
    Kind.MONTH: "yyyy-mm",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.PERCENT: "0%",
    Kind.INTEGER: "0",
}


@dataclass(frozen=True)
class Column:
    header: str
    """Catalogue key of the header."""
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Sheet:
    name: str
    """Catalogue key of the sheet's name."""
    columns: Sequence[Column]
    query: Select[Any]
    row: Callable[[tuple[Any, ...]], list[Any]]
    """A database row as the sheet's cells."""


@dataclass(frozen=True)
class ExportRequest:
    scope: Scope
    period: Period
    today: date
    default_interval: int


IPAL_COLUMNS = (
    Column("export-col-code"),
    Column("export-col-ipal", Kind.LONG_TEXT),
    Column("export-col-kapanewon"),
    Column("export-col-kalurahan"),
)


def sheets(texts: Texts, request: ExportRequest) -> list[Sheet]:
    """The workbook's sheets, in order."""
    scope, period = request.scope, request.period
    return [
        Sheet("export-sheet-reports", REPORT_COLUMNS, reports_query(scope=scope, period=period),
              lambda row: report_cells(texts, row)),
        Sheet("export-sheet-problems", PROBLEM_COLUMNS, problems_query(scope=scope, period=period),
              lambda row: problem_cells(texts, row)),
        Sheet("export-sheet-requests", REQUEST_COLUMNS, requests_query(scope=scope, period=period),
              lambda row: request_cells(texts, row)),
        Sheet("export-sheet-registry", REGISTRY_COLUMNS, registry_query(scope=scope, period=period),
              lambda row: registry_cells(request, row)),
    ]  # fmt: skip


REPORT_COLUMNS = (
    *IPAL_COLUMNS,
    Column("export-col-period", Kind.MONTH),
    Column("export-col-reporter"),
    Column("export-col-condition"),
    Column("export-col-problems", Kind.LONG_TEXT),
    Column("export-col-active-connections", Kind.INTEGER),
    Column("export-col-paying-households", Kind.INTEGER),
    Column("export-col-fee", Kind.RUPIAH),
    Column("export-col-operator-active", Kind.BOOLEAN),
    Column("export-col-board-met", Kind.BOOLEAN),
    Column("export-col-books", Kind.BOOLEAN),
    Column("export-col-severity"),
    *(Column(f"aspect-{aspect}") for aspect in ASPECTS),
    Column("export-col-submitted", Kind.DATETIME),
)


def report_cells(texts: Texts, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, period, reporter, condition, problems, *rest = row
    active, paying, fee, operator, board, books, severity, scores, submitted = rest
    return [
        code, name, kapanewon, kalurahan, period, reporter,
        _plain(texts, f"condition-{condition}"),
        ", ".join(_plain(texts, f"problem-kind-{kind}") for kind in problems),
        active, paying, fee, operator, board, books,
        _plain(texts, f"export-severity-{severity}"),
        *(_light(texts, scores.get(aspect)) for aspect in ASPECTS),
        submitted,
    ]  # fmt: skip


PROBLEM_COLUMNS = (
    *IPAL_COLUMNS,
    Column("export-col-number", Kind.INTEGER),
    Column("export-col-kind"),
    Column("export-col-urgency"),
    Column("export-col-severity"),
    Column("export-col-state"),
    Column("export-col-reporter"),
    Column("export-col-reported", Kind.DATETIME),
)


def problem_cells(texts: Texts, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, number, kind, urgency, severity, state, *rest = row
    reporter, reported = rest
    return [
        code, name, kapanewon, kalurahan, number,
        _plain(texts, f"problem-kind-{kind}"),
        _plain(texts, f"urgency-{urgency}"),
        _plain(texts, f"export-severity-{severity}"),
        _plain(texts, f"problem-state-{state}"),
        reporter, reported,
        *problem_history(number),
    ]  # fmt: skip


def problem_history(problem_id: int) -> list[Any]:
    """The problem's follow-up history as cells; none until the history table exists."""
    del problem_id
    return []


REQUEST_COLUMNS = (
    *IPAL_COLUMNS,
    Column("export-col-number", Kind.INTEGER),
    Column("export-col-reason"),
    Column("export-col-preferred", Kind.DATE),
    Column("export-col-note", Kind.LONG_TEXT),
    Column("export-col-severity"),
    Column("export-col-state"),
    Column("export-col-requester"),
    Column("export-col-requested", Kind.DATETIME),
)


def request_cells(texts: Texts, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, number, reason, preferred, note, severity, *rest = row
    state, requester, requested = rest
    return [
        code, name, kapanewon, kalurahan, number,
        _plain(texts, f"desludging-reason-{reason}"),
        preferred, note or "",
        _plain(texts, f"export-severity-{severity}"),
        _plain(texts, f"request-state-{state}"),
        requester, requested,
        *request_rating(number),
    ]  # fmt: skip


def request_rating(request_id: int) -> list[Any]:
    """The request's rating as cells; none until the ratings table exists."""
    del request_id
    return []


REGISTRY_COLUMNS = (
    *IPAL_COLUMNS,
    Column("export-col-house-connections", Kind.INTEGER),
    Column("export-col-built", Kind.INTEGER),
    Column("export-col-last-desludged", Kind.DATE),
    Column("export-col-interval", Kind.INTEGER),
    Column("export-col-reports", Kind.INTEGER),
    Column("export-col-months", Kind.INTEGER),
    Column("export-col-compliance", Kind.PERCENT),
    Column("export-col-next-lltt", Kind.DATE),
)


def registry_cells(request: ExportRequest, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, connections, built, last, interval, reported = row
    months = months_due(request.period, request.today)
    due = next_lltt_due(
        last_desludged_on=last,
        built_year=built,
        interval_months=interval or request.default_interval,
    )
    compliance = reported / months if months else None
    return [
        code, name, kapanewon, kalurahan, connections, built, last,
        interval or request.default_interval, reported, months, compliance, due,
    ]  # fmt: skip


def months_due(period: Period, today: date) -> int:
    """The months of `period` for which a report could be due by `today`."""
    last, first = min(period.last, today), period.first
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _light(texts: Texts, light: str | None) -> str | None:
    return _plain(texts, f"export-light-{light}") if light else None


def _plain(texts: Texts, key: str) -> str:
    return texts.plain(key) if texts.has(key) else key.rsplit("-", 1)[-1]


async def write_workbook(
    target: Path,
    *,
    session: AsyncSession,
    texts: Texts,
    request: ExportRequest,
    progress: Progress | None = None,
) -> int:
    """Write the area's workbook to `target`; the number of data rows written."""
    import xlsxwriter  # here, not at start-up: only an export needs it

    workbook = xlsxwriter.Workbook(
        str(target), {"constant_memory": True, "tmpdir": str(target.parent)}
    )
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in FORMATS.items()}
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    written = 0
    try:
        for sheet in sheets(texts, request):
            total = await count_rows(session, sheet.query) if progress else 0
            worksheet = workbook.add_worksheet(texts.plain(sheet.name)[:31])
            _header(worksheet, texts, sheet.columns, header)
            writers = _writers(worksheet, sheet.columns, formats)
            rows = 0
            async for row in stream_rows(session, sheet.query):
                rows += 1
                _row(rows, writers, sheet.row(row)[: len(writers)])
                if progress is not None and rows % PROGRESS_EVERY == 0:
                    progress(texts.plain(sheet.name), rows, total)
            worksheet.autofilter(0, 0, max(rows, 1), len(sheet.columns) - 1)
            if progress is not None:
                progress(texts.plain(sheet.name), rows, total)
            written += rows
    finally:
        await asyncio.to_thread(workbook.close)
    return written


def _header(worksheet: Any, texts: Texts, columns: Sequence[Column], style: Any) -> None:
    worksheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        title = texts.plain(column.header)
        worksheet.set_column(index, index, max(WIDTHS[column.kind], len(title) + 3))
        worksheet.write_string(0, index, title, style)


Writer = tuple[Callable[..., Any], Any, Callable[[Any], Any] | None]
"""How a column's cells are written: the worksheet's method, the format, a conversion."""


def _writers(worksheet: Any, columns: Sequence[Column], formats: dict[Kind, Any]) -> list[Writer]:
    """Each column's writer, chosen once per sheet rather than once per cell."""
    writers: list[Writer] = []
    for column in columns:
        kind = column.kind
        if kind in (Kind.DATE, Kind.MONTH, Kind.DATETIME):
            writers.append((worksheet.write_datetime, formats[kind], _naive))
        elif kind is Kind.BOOLEAN:
            writers.append((worksheet.write_boolean, None, bool))
        elif kind in formats:
            writers.append((worksheet.write_number, formats[kind], None))
        else:
            writers.append((worksheet.write_string, None, str))
    return writers


def _row(row: int, writers: list[Writer], cells: list[Any]) -> None:
    for index, value in enumerate(cells):
        if value is None or value == "":
            continue  # a blank cell, not an empty text
        write, style, convert = writers[index]
        write(row, index, convert(value) if convert is not None else value, style)


def _naive(value: date | datetime) -> datetime:
    """Excel keeps no time zone: a moment as its WIB wall time, a date at midnight."""
    if isinstance(value, datetime):
        return value.astimezone(WIB).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
