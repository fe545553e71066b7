"""Reading the IPAL registry CSV."""

from __future__ import annotations

from datetime import date

import pytest

from domain.registry_csv import COLUMNS, ROW, RegistryError, RowProblem, parse_registry
from domain.registry_csv import HEADER as HEADER_LINE

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
        RowProblem(2, "latitude", "csv-not-number", {"value": "abc"}),
        RowProblem(3, "code", "csv-required", {}),
        RowProblem(3, "kalurahan", "csv-required", {}),
        RowProblem(3, "house_connections", "csv-not-whole", {"value": "x"}),
        RowProblem(3, "built_year", "csv-out-of-range", {"value": 2030, "low": 1970, "high": 2026}),
        RowProblem(3, "last_desludged_on", "csv-not-date", {"value": "01-02-2024"}),
        RowProblem(
            3, "desludging_interval_months", "csv-out-of-range", {"value": 0, "low": 1, "high": 120}
        ),
        RowProblem(4, "code", "csv-code-twice", {"code": "KP-1", "other": 2}),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("code,name\nKP-1,x\n", RowProblem(1, HEADER_LINE, "csv-header", {"columns": HEADER})),
        (f"{HEADER}\n", RowProblem(2, ROW, "csv-no-rows", {})),
        (
            f"{HEADER}\nKP-1,IPAL,Wates,Triharjo,,,,5,,,,extra\n",
            RowProblem(2, ROW, "csv-extra-cells", {}),
        ),
        (
            f"{HEADER}\nKP-1,IPAL,Wates,Triharjo,,,,5,,2027-01-01,\n",
            RowProblem(2, "last_desludged_on", "csv-future-date", {"value": "2027-01-01"}),
        ),
    ],
)
def test_file_level_problems(text: str, problem: RowProblem) -> None:
    """A wrong header, an empty file and a long row are refused."""
    with pytest.raises(RegistryError) as raised:
        parse_registry(text, this_year=2026)
    assert raised.value.problems == [problem]
