"""The export's row writer: its sheet XML read back by openpyxl with the right types."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from openpyxl import load_workbook

from bot.export import FORMATS, MAX_TEXT, Column, Kind, RowWriter, _column_letters
from domain.dates import WIB

COLUMNS = (
    Column("a"),
    Column("b", Kind.INTEGER),
    Column("c", Kind.DECIMAL),
    Column("d", Kind.DATE),
    Column("e", Kind.DATETIME),
    Column("f", Kind.BOOLEAN),
    Column("g", Kind.PERCENT),
)


def written(
    tmp_path: Path, rows: list[list[object]], formats: dict[str, str] | None = None
) -> list[tuple[object, ...]]:
    """The rows written by `RowWriter` in two batches and read back; `formats` gets the
    number format of each cell of the first data row."""
    target = tmp_path / "rows.xlsx"
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    styles = {kind: workbook.add_format({"num_format": code}) for kind, code in FORMATS.items()}
    worksheet = workbook.add_worksheet("Rows")
    for index, column in enumerate(COLUMNS):
        worksheet.write_string(0, index, column.header)
    writer = RowWriter(worksheet, COLUMNS, styles)
    writer.write(rows[:1])
    writer.write(rows[1:])
    writer.finish()
    worksheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    workbook.close()
    sheet = load_workbook(target).worksheets[0]
    assert sheet.max_row == len(rows) + 1 and sheet.max_column == len(COLUMNS)
    if formats is not None:
        formats.update({cell.column_letter: cell.number_format for cell in sheet[2]})
    return list(sheet.iter_rows(values_only=True))


def test_cells_keep_their_values_and_types_across_batches(tmp_path: Path) -> None:
    """Texts are escaped, numbers and decimals stay numbers, moments are WIB wall time,
    blanks stay blank; the header stays above."""
    utc = datetime(2026, 11, 16, 2, 30, tzinfo=UTC)
    formats: dict[str, str] = {}
    rows = written(
        tmp_path,
        [
            ['<a & b> "q"', 7, Decimal("3.50"), date(2026, 11, 1), utc, True, 0.25],
            ["  spaced  ", None, None, None, datetime(2026, 1, 2, 3, 4, tzinfo=WIB), False, ""],
            ["x" * (MAX_TEXT + 10), 0, Decimal("0"), date(2000, 2, 29), None, None, 1],
        ],
        formats,
    )
    assert [formats[letter] for letter in "BCDEG"] == [
        "0", "0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0%",
    ]  # fmt: skip
    assert rows[0] == ("a", "b", "c", "d", "e", "f", "g")
    first, second, third = rows[1:]
    assert first[:4] == ('<a & b> "q"', 7, 3.5, datetime(2026, 11, 1))
    assert isinstance(first[4], datetime)
    assert abs(first[4] - datetime(2026, 11, 16, 9, 30)) < timedelta(seconds=1)
    assert first[5] is True and first[6] == 0.25
    assert isinstance(first[1], int) and not isinstance(first[1], bool)
    assert second[0] == "  spaced  " and second[1:4] == (None, None, None)
    assert second[4] == datetime(2026, 1, 2, 3, 4) and second[5] is False
    assert second[6] is None
    assert third[0] == "x" * MAX_TEXT and third[3] == datetime(2000, 2, 29)


def test_a_control_character_does_not_break_the_sheet(tmp_path: Path) -> None:
    rows = written(tmp_path, [["bell\x07here", 1, None, None, None, None, None]])
    text = rows[1][0]
    assert isinstance(text, str) and text.startswith("bell") and text.endswith("here")


def test_column_letters_go_past_z() -> None:
    assert [_column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip
