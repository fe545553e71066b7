"""Reading the IPAL registry CSV: every row checked, each problem as `line N: column: reason`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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


class RegistryError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_registry(text: str, *, this_year: int) -> list[IpalRow]:
    """All rows, or RegistryError listing every problem (nothing is half-read)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    if header != list(COLUMNS):
        raise RegistryError([f"line 1: header: expected {','.join(COLUMNS)}"])
    rows: list[IpalRow] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        cells = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        if None in raw:
            problems.append(f"line {number}: row: more cells than the header has columns")
            continue
        row, row_problems = _parse_row(number, cells, this_year)
        problems.extend(row_problems)
        code = cells.get("code", "")
        if code and code in first_line:
            problems.append(f"line {number}: code: {code} is also on line {first_line[code]}")
        first_line.setdefault(code, number)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append("line 2: row: the file has no IPAL rows")
    if problems:
        raise RegistryError(problems)
    return rows


def _parse_row(
    line: int, cells: dict[str, str], this_year: int
) -> tuple[IpalRow | None, list[str]]:
    problems = [
        f"line {line}: {name}: required"
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
        except ValueError as error:
            problems.append(f"line {line}: {name}: {error}")
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
            raise ValueError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise ValueError(f"{text} is outside {low:g} to {high:g}")
        return value

    return parse


def _whole(low: int, high: int) -> Parser:
    def parse(text: str, _year: int) -> int:
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low} to {high}")
        return value

    return parse


def _year(text: str, this_year: int) -> object:
    return _whole(1970, this_year)(text, this_year)


def _date(text: str, this_year: int) -> object:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date YYYY-MM-DD") from None
    if len(text) != 10 or value.year > this_year:
        raise ValueError(f"{text!r} is not a date YYYY-MM-DD in the past")
    return value


_PARSERS: dict[str, Parser] = {
    "latitude": _number(-11.0, 6.0),
    "longitude": _number(95.0, 141.0),
    "house_connections": _whole(1, 5000),
    "built_year": _year,
    "last_desludged_on": _date,
    "desludging_interval_months": _whole(1, 120),
}
