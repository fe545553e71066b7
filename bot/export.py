"""The XLSX export of an area (`/ekspor` and `sanimas export` share it).

Four sheets: the monthly reports (every field and the four scores), the problems, the
desludging requests, and the IPAL registry with its report compliance and next LLTT date.
Headers are in the user's language; cells have real types (dates as dates, numbers as numbers,
rupiah with a number format); the header row is frozen and filtered. Rows stream from the
database into xlsxwriter's constant-memory writer, so memory stays flat however many rows
there are (and column widths come from the header and the type: `autofit()` needs every row).

The problems' follow-up history is one text cell per problem ("date state by whom: note; …"),
built from one stream of the problems joined to their changes of state (consecutive rows of a
problem are merged); the desludging requests carry their lifecycle and rating, joined in.

Speed: the rows come in batches of plain column values; each row's cells are written as one
piece of sheet XML made with a writer chosen once per column (`RowWriter`), instead of one
xlsxwriter call per cell: a year of a district is some two million cells.
"""

from __future__ import annotations

import asyncio
import enum
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.texts import Texts
from domain.dates import WIB
from domain.lltt import next_lltt_due
from models.summaries import (
    PROBLEM_FIELDS,
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
MAX_TEXT = 32767
"""The most characters a cell holds."""


class Kind(enum.Enum):
    """A column's type: how its cells are written and how wide it is."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
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
    Kind.DECIMAL: 10,
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
    Kind.DECIMAL: "0.00",
}


@dataclass(frozen=True)
class Column:
    header: str
    """Catalogue key of the header."""
    kind: Kind = Kind.TEXT


Cells = Callable[[tuple[Any, ...]], Sequence[Any]]


@dataclass(frozen=True)
class Sheet:
    name: str
    """Catalogue key of the sheet's name."""
    columns: Sequence[Column]
    query: Select[Any]
    row: Cells
    """A database row as the sheet's cells."""
    counted: Select[Any] | None = None
    """The query whose rows are the sheet's rows, when `query` gives more (for the progress)."""
    merge: int = 0
    """When set, consecutive rows alike in their first `merge` columns are one sheet row: the
    row function gets those columns followed by the list of the rest of each."""


@dataclass(frozen=True)
class ExportRequest:
    scope: Scope
    period: Period
    today: date
    default_interval: int


class Labels(dict[str, str]):
    """Catalogue texts by key, each looked up once per export (millions of cells share a few
    dozen labels); a key the catalogue lacks shows its last part."""

    def __init__(self, texts: Texts) -> None:
        super().__init__()
        self.texts = texts

    def __missing__(self, key: str) -> str:
        found = self.texts.plain(key) if self.texts.has(key) else key.rsplit("-", 1)[-1]
        self[key] = found
        return found


IPAL_COLUMNS = (
    Column("export-col-code"),
    Column("export-col-ipal", Kind.LONG_TEXT),
    Column("export-col-kapanewon"),
    Column("export-col-kalurahan"),
)


def sheets(texts: Texts, request: ExportRequest) -> list[Sheet]:
    """The workbook's sheets, in order."""
    scope, period = request.scope, request.period
    labels = Labels(texts)
    return [
        Sheet("export-sheet-reports", REPORT_COLUMNS, reports_query(scope=scope, period=period),
              lambda row: report_cells(labels, row)),
        Sheet("export-sheet-problems", PROBLEM_COLUMNS, problems_query(scope=scope, period=period),
              lambda row: problem_cells(labels, row),
              counted=problems_query(scope=scope, period=period, history=False),
              merge=PROBLEM_FIELDS),
        Sheet("export-sheet-requests", REQUEST_COLUMNS, requests_query(scope=scope, period=period),
              lambda row: request_cells(labels, row)),
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


def report_cells(labels: Labels, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, period, reporter, condition, problems, *rest = row
    active, paying, fee, operator, board, books, severity, scores, submitted = rest
    return [
        code, name, kapanewon, kalurahan, period, reporter,
        labels[f"condition-{condition}"],
        ", ".join([labels[f"problem-kind-{kind}"] for kind in problems]),
        active, paying, fee, operator, board, books,
        labels[f"export-severity-{severity}"],
        *[_light(labels, scores.get(aspect)) for aspect in ASPECTS],
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
    Column("export-col-changes", Kind.INTEGER),
    Column("export-col-last-change", Kind.DATETIME),
    Column("export-col-history", Kind.LONG_TEXT),
)


def problem_cells(labels: Labels, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, number, kind, urgency, severity, state, *rest = row
    reporter, reported, events = rest
    moves = [event for event in events if event[0] is not None]
    return [
        code, name, kapanewon, kalurahan, number,
        labels[f"problem-kind-{kind}"],
        labels[f"urgency-{urgency}"],
        labels[f"export-severity-{severity}"],
        labels[f"problem-state-{state}"],
        reporter, reported,
        *problem_history(labels, moves),
    ]  # fmt: skip


def problem_history(labels: Labels, moves: Sequence[tuple[Any, ...]]) -> list[Any]:
    """The problem's changes of state (moment, new state, by whom, note, check-back answer;
    oldest first) as cells: how many, the last one's moment, and all of them as one text
    `2026-11-03 14:05 ditindaklanjuti oleh Budi: catatan; …`."""
    if not moves:
        return [0, None, None]
    told = []
    for at, state, actor, note, answer in moves:
        line = labels.texts.plain(
            "export-history-event",
            at=_naive(at).strftime("%Y-%m-%d %H:%M"),
            state=labels[f"problem-state-{state}"],
            actor=actor,
        )
        if note:
            line += f": {' '.join(note.split())}"
        if answer:
            line += f" ({labels[f'export-check-back-{answer}']})"
        told.append(line)
    return [len(moves), moves[-1][0], "; ".join(told)]


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
    Column("export-col-scheduled", Kind.DATE),
    Column("export-col-team"),
    Column("export-col-done", Kind.DATE),
    Column("export-col-volume", Kind.DECIMAL),
    Column("export-col-stars", Kind.INTEGER),
    Column("export-col-no-spillage", Kind.BOOLEAN),
    Column("export-col-protective-gear", Kind.BOOLEAN),
    Column("export-col-site-clean", Kind.BOOLEAN),
    Column("export-col-rated", Kind.DATETIME),
)


def request_cells(labels: Labels, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, number, reason, preferred, note, severity, *rest = row
    state, requester, requested, scheduled, team, done, volume, *rating = rest
    return [
        code, name, kapanewon, kalurahan, number,
        labels[f"desludging-reason-{reason}"],
        preferred, note or "",
        labels[f"export-severity-{severity}"],
        labels[f"request-state-{state}"],
        requester, requested, scheduled, team, done, volume,
        *request_rating(*rating),
    ]  # fmt: skip


def request_rating(
    stars: int | None,
    no_spillage: bool | None,
    protective_gear: bool | None,
    site_clean: bool | None,
    rated_at: datetime | None,
) -> list[Any]:
    """The member's rating as cells (stars, the checklist, the moment); blank when not
    rated."""
    if stars is None:
        return [None] * 5
    return [stars, bool(no_spillage), bool(protective_gear), bool(site_clean), rated_at]


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
    Column("export-col-desludgings", Kind.INTEGER),
)


def registry_cells(request: ExportRequest, row: tuple[Any, ...]) -> list[Any]:
    code, name, kapanewon, kalurahan, connections, built, last, interval, reported, done = row
    months = months_due(request.period, request.today)
    due = next_lltt_due(
        last_desludged_on=last,
        built_year=built,
        interval_months=interval or request.default_interval,
    )
    compliance = reported / months if months else None
    return [
        code, name, kapanewon, kalurahan, connections, built, last,
        interval or request.default_interval, reported, months, compliance, due, done,
    ]  # fmt: skip


def months_due(period: Period, today: date) -> int:
    """The months of `period` for which a report could be due by `today`."""
    last, first = min(period.last, today), period.first
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _light(labels: Labels, light: str | None) -> str | None:
    return labels[f"export-light-{light}"] if light else None


async def write_workbook(
    target: Path,
    *,
    session: AsyncSession,
    texts: Texts,
    request: ExportRequest,
    progress: Progress | None = None,
    close_here: bool = False,
) -> int:
    """Write the area's workbook to `target`; the number of data rows written.

    The workbook is closed (its sheets copied and zipped, a second or two for a year of a
    district) in a worker thread, so the bot goes on answering meanwhile; a command line,
    which has nothing else to do, closes it `close_here`, in its own thread (a worker's
    memory allocator keeps a few megabytes more, growing with the file)."""
    import xlsxwriter  # here, not at start-up: only an export needs it

    workbook = xlsxwriter.Workbook(
        str(target), {"constant_memory": True, "tmpdir": str(target.parent)}
    )
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in FORMATS.items()}
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    written = 0
    try:
        for sheet in sheets(texts, request):
            counted = sheet.counted if sheet.counted is not None else sheet.query
            total = await count_rows(session, counted) if progress else 0
            worksheet = workbook.add_worksheet(texts.plain(sheet.name)[:31])
            _header(worksheet, texts, sheet.columns, header)
            writer = RowWriter(worksheet, sheet.columns, formats)
            batches = stream_rows(session, sheet.query)
            if sheet.merge:
                batches = merged(batches, sheet.merge)
            rows, told = 0, 0
            async for batch in batches:
                rows = writer.write([sheet.row(row) for row in batch])
                if progress is not None and rows - told >= PROGRESS_EVERY:
                    progress(texts.plain(sheet.name), rows, total)
                    told = rows
            writer.finish()
            worksheet.autofilter(0, 0, max(rows, 1), len(sheet.columns) - 1)
            if progress is not None:
                progress(texts.plain(sheet.name), rows, total)
            written += rows
    finally:
        if close_here:
            workbook.close()
        else:
            await asyncio.to_thread(workbook.close)
    return written


async def merged(
    batches: AsyncIterator[list[tuple[Any, ...]]], width: int
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """Consecutive rows alike in their first `width` columns as one: those columns, then the
    list of the rest of each row. A row whose group may go on in the next batch waits for it."""
    pending: tuple[Any, ...] | None = None
    rest: list[tuple[Any, ...]] = []
    async for batch in batches:
        out = []
        for row in batch:
            head = row[:width]
            if head != pending:
                if pending is not None:
                    out.append((*pending, rest))
                pending, rest = head, []
            rest.append(row[width:])
        if out:
            yield out
    if pending is not None:
        yield [(*pending, rest)]


def _header(worksheet: Any, texts: Texts, columns: Sequence[Column], style: Any) -> None:
    worksheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        title = texts.plain(column.header)
        worksheet.set_column(index, index, max(WIDTHS[column.kind], len(title) + 3))
        worksheet.write_string(0, index, title, style)


EXCEL_EPOCH = date(1899, 12, 30).toordinal()
"""Day 0 of Excel's serial dates (serials from 1 March 1900 on are right from here)."""
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML 1.0 cannot hold; Excel writes them as `_xHHHH_`."""


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str:
    text = str(value)[:MAX_TEXT]
    if CONTROL.search(text):
        text = CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: Any) -> str:
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else ""
    return repr(float(value))


def _serial(value: date | datetime) -> str:
    """Excel's serial of a day (a whole number) or of a moment (its WIB wall time)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(WIB)
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        day = value.toordinal() - EXCEL_EPOCH
        return repr(day + (seconds + value.microsecond / 1e6) / 86400)
    return str(value.toordinal() - EXCEL_EPOCH)


CellXml = Callable[[str, Any], str]
"""A cell's XML from its row number (as text) and its value."""


def _cell_xml(letters: str, kind: Kind, style: int | None) -> CellXml:
    """How one column's cells become XML, chosen once per column."""
    styled = f' s="{style}"' if style else ""
    if kind in (Kind.DATE, Kind.MONTH, Kind.DATETIME):
        return lambda row, value: f'<c r="{letters}{row}"{styled}><v>{_serial(value)}</v></c>'
    if kind is Kind.BOOLEAN:
        return lambda row, value: f'<c r="{letters}{row}" t="b"><v>{1 if value else 0}</v></c>'
    if kind in FORMATS:
        return lambda row, value: f'<c r="{letters}{row}"{styled}><v>{_number(value)}</v></c>'
    known: dict[Any, str] = {}

    def text(row: str, value: Any) -> str:
        escaped = known.get(value)
        if escaped is None:
            escaped = f'<t xml:space="preserve">{_text(value)}</t>'
            if len(known) < KNOWN_TEXTS:
                known[value] = escaped
        return f'<c r="{letters}{row}" t="inlineStr"><is>{escaped}</is></c>'

    return text


KNOWN_TEXTS = 5000
"""Texts each column keeps escaped: codes, names, areas and labels repeat on every row."""


class RowWriter:
    """Writes a sheet's data rows (after its header) as sheet XML, a row at a time.

    xlsxwriter's constant-memory mode keeps one row and writes it to the sheet's row file when
    the next begins, at some ten Python calls per cell. This writes each row's XML, made with
    the column's writer, to that same file after xlsxwriter wrote the header row, and tells the
    worksheet how far its data goes; xlsxwriter writes everything else of the workbook (styles,
    column widths, the frozen pane, the filter). The cells are those xlsxwriter writes in that
    mode: inline strings, numbers with their format's style, booleans.
    """

    def __init__(self, worksheet: Any, columns: Sequence[Column], formats: dict[Kind, Any]):
        self.worksheet = worksheet
        self.width = len(columns)
        self.cells = [
            _cell_xml(
                _column_letters(index),
                column.kind,
                formats[column.kind]._get_xf_index() if column.kind in formats else None,
            )
            for index, column in enumerate(columns)
        ]
        self.rows = 0
        worksheet._write_single_row(1)  # the header row goes out first

    def write(self, rows: Sequence[Sequence[Any]]) -> int:
        """Write these rows after the ones before; how many rows are written so far."""
        out = []
        number = self.rows
        cells = self.cells
        for values in rows:
            number += 1
            row = str(number + 1)
            out.append(f'<row r="{row}">')
            out.extend(
                [
                    cell(row, value)
                    for cell, value in zip(cells, values, strict=False)
                    if value is not None and value != ""
                ]
            )
            out.append("</row>")
        self.worksheet.fh.write("".join(out))
        self.rows = number
        return number

    def finish(self) -> None:
        """Tell the worksheet where its data ends (for its dimension and later writes)."""
        if self.rows:
            self.worksheet.previous_row = self.rows
            self.worksheet._check_dimensions(self.rows, self.width - 1)


def _naive(value: date | datetime) -> datetime:
    """Excel keeps no time zone: a moment as its WIB wall time, a date at midnight."""
    if isinstance(value, datetime):
        return value.astimezone(WIB).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
