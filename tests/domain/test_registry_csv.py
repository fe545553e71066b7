"""Reading the IPAL registry CSV."""

from __future__ import annotations

from datetime import date

import pytest

from domain.registry_csv import COLUMNS, RegistryError, parse_registry

HEADER = ",".join(COLUMNS)


def test_reads_full_and_minimal_rows() -> None:
    """Required columns suffice; the optional ones are parsed when present."""
    rows = parse_registry(
        f"{HEADER}\n"
        "KP-1,IPAL Satu,Wates,Triharjo,Pedukuhan I,-7.85,110.15,60,2019,2024-11-01,24\n"
        "KP-2,IPAL Dua,Wates,Bendungan,,,,40,,,\n",
        this_year=2026,
    )
    assert [row.code for row in rows] == ["KP-1", "KP-2"]
    assert rows[0].last_desludged_on == date(2024, 11, 1)
    assert rows[0].latitude == pytest.approx(-7.85)
    assert rows[1].padukuhan is None and rows[1].built_year is None


def test_every_problem_listed_with_line_and_column() -> None:
    """All problems of all rows come together, numbered as in the file (header is line 1)."""
    text = (
        f"{HEADER}\n"
        "KP-1,IPAL Satu,Wates,Triharjo,,abc,,60,2019,2024-11-01,\n"
        ",IPAL Dua,Wates,,,,,x,2030,01-02-2024,0\n"
        "KP-1,IPAL Tiga,Wates,Triharjo,,,,5,,,\n"
    )
    with pytest.raises(RegistryError) as raised:
        parse_registry(text, this_year=2026)
    assert raised.value.problems == [
        "line 2: latitude: 'abc' is not a number",
        "line 3: code: required",
        "line 3: kalurahan: required",
        "line 3: house_connections: 'x' is not a whole number",
        "line 3: built_year: 2030 is outside 1970 to 2026",
        "line 3: last_desludged_on: '01-02-2024' is not a date YYYY-MM-DD",
        "line 3: desludging_interval_months: 0 is outside 1 to 120",
        "line 4: code: KP-1 is also on line 2",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("code,name\nKP-1,x\n", "line 1: header: expected " + HEADER),
        (f"{HEADER}\n", "line 2: row: the file has no IPAL rows"),
        (
            f"{HEADER}\nKP-1,IPAL,Wates,Triharjo,,,,5,,,,extra\n",
            "line 2: row: more cells than the header has columns",
        ),
    ],
)
def test_file_level_problems(text: str, problem: str) -> None:
    """A wrong header, an empty file and a long row are refused."""
    with pytest.raises(RegistryError) as raised:
        parse_registry(text, this_year=2026)
    assert raised.value.problems == [problem]
