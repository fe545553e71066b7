"""Reading the IPAL registry CSV: every row checked, each problem kept as line, column, reason.

The reason is a catalogue key, so the command line tells it as `line N: column: reason` in the
reader's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from domain.errors import InputError, Params

COLUMNS = (
    "code",
    "name",
    "kapanewon",
    "kalurahan",
    "padukuhan",
    "latitude",
    "longitude",
    "house_connections",
    "built_year",
    "last_desludged_on",
    "desludging_interval_months",
)
REQUIRED = frozenset({"code", "name", "kapanewon", "kalurahan", "house_connections"})
Parser = Callable[[str, int], object]


@dataclass(frozen=True)
class IpalRow:
    line: int
    code: str
    name: str
    kapanewon: str
    kalurahan: str
    padukuhan: str | None
    latitude: float | None
    longitude: float | None
    house_connections: int
    built_year: int | None
    last_desludged_on: date | None
    desludging_interval_months: int | None


HEADER = "header"
ROW = "row"
"""Where a problem is not in one column: the header line, or the row as a whole."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    key: str
    params: Params

    @classmethod
    def of(cls, line: int, column: str, error: InputError) -> RowProblem:
        return cls(line, column, error.key, error.params)


class RegistryError(ValueError):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the IPAL registry file")
        self.problems = problems


def parse_registry(text: str, *, this_year: int) -> list[IpalRow]:
    """All rows, or RegistryError listing every problem (nothing is half-read)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    if header != list(COLUMNS):
        raise RegistryError([RowProblem(1, HEADER, "csv-header", {"columns": ",".join(COLUMNS)})])
    rows: list[IpalRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        cells = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        if None in raw:
            problems.append(RowProblem(number, ROW, "csv-extra-cells", {}))
            continue
        row, row_problems = _parse_row(number, cells, this_year)
        problems.extend(row_problems)
        code = cells.get("code", "")
        if code and code in first_line:
            problems.append(
                RowProblem(
                    number, "code", "csv-code-twice", {"code": code, "other": first_line[code]}
                )
            )
        first_line.setdefault(code, number)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(2, ROW, "csv-no-rows", {}))
    if problems:
        raise RegistryError(problems)
    return rows


def _parse_row(
    line: int, cells: dict[str, str], this_year: int
) -> tuple[IpalRow | None, list[RowProblem]]:
    problems = [
        RowProblem(line, name, "csv-required", {})
        for name in COLUMNS
        if name in REQUIRED and not cells.get(name)
    ]
    values: dict[str, object] = {}
    for name, parse in _PARSERS.items():
        text = cells.get(name, "")
        if not text:
            values[name] = None
            continue
        try:
            values[name] = parse(text, this_year)
        except InputError as error:
            problems.append(RowProblem.of(line, name, error))
    if problems:
        return None, problems
    return (
        IpalRow(
            line=line,
            code=cells["code"],
            name=cells["name"],
            kapanewon=cells["kapanewon"],
            kalurahan=cells["kalurahan"],
            padukuhan=cells.get("padukuhan") or None,
            latitude=values["latitude"],  # type: ignore[arg-type]
            longitude=values["longitude"],  # type: ignore[arg-type]
            house_connections=values["house_connections"],  # type: ignore[arg-type]
            built_year=values["built_year"],  # type: ignore[arg-type]
            last_desludged_on=values["last_desludged_on"],  # type: ignore[arg-type]
            desludging_interval_months=values["desludging_interval_months"],  # type: ignore[arg-type]
        ),
        [],
    )


def _number(low: float, high: float) -> Parser:
    def parse(text: str, _year: int) -> float:
        try:
            value = float(text)
        except ValueError:
            raise InputError("csv-not-number", {"value": text}) from None
        if not low <= value <= high:
            raise InputError(
                "csv-out-of-range", {"value": text, "low": f"{low:g}", "high": f"{high:g}"}
            )
        return value

    return parse


def _whole(low: int, high: int) -> Parser:
    def parse(text: str, _year: int) -> int:
        if not text.isdigit():
            raise InputError("csv-not-whole", {"value": text})
        value = int(text)
        if not low <= value <= high:
            raise InputError("csv-out-of-range", {"value": value, "low": low, "high": high})
        return value

    return parse


def _year(text: str, this_year: int) -> object:
    return _whole(1970, this_year)(text, this_year)


def _date(text: str, this_year: int) -> object:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InputError("csv-not-date", {"value": text}) from None
    if len(text) != 10:
        raise InputError("csv-not-date", {"value": text})
    if value.year > this_year:
        raise InputError("csv-future-date", {"value": text})
    return value


_PARSERS: dict[str, Parser] = {
    "latitude": _number(-11.0, 6.0),
    "longitude": _number(95.0, 141.0),
    "house_connections": _whole(1, 5000),
    "built_year": _year,
    "last_desludged_on": _date,
    "desludging_interval_months": _whole(1, 120),
}
