"""Tests for domain.summary: the figures of an area from plain rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.dates import WIB
from domain.summary import (
    DesludgingFacts,
    IpalFacts,
    OperatorRating,
    ProblemFacts,
    ReportFacts,
    age_band,
    export_period,
    summarize,
    summary_months,
    typed_period,
)
from domain.vocabulary import Aspect, Light

TODAY = date(2026, 11, 16)
GREEN = dict.fromkeys(("technical", "financial", "institutional", "governance"), "green")


def ipal(ipal_id: int, last: date | None = None, built: int | None = 2020) -> IpalFacts:
    return IpalFacts(ipal_id, built, last, 24)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=WIB)


def test_the_six_months_end_with_this_one_and_cross_the_year() -> None:
    """Oldest first, first days of months, this month last."""
    assert summary_months(date(2026, 3, 31)) == (
        date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1),
        date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1),
    )  # fmt: skip


def test_states_count_this_months_reports_and_the_missing() -> None:
    """Each IPAL once: its condition this month, or no report yet; older reports don't count."""
    reports = [
        ReportFacts(1, date(2026, 11, 1), "good", GREEN),
        ReportFacts(2, date(2026, 11, 1), "broken", GREEN),
        ReportFacts(3, date(2026, 10, 1), "problems", GREEN),
        ReportFacts(99, date(2026, 11, 1), "good", GREEN),  # not of the area
    ]
    summary = summarize(
        today=TODAY, ipals=[ipal(1), ipal(2), ipal(3)], reports=reports, open_problems=[]
    )
    assert summary.states == {"good": 1, "problems": 0, "broken": 1, "missing": 1}
    assert [(c.reported, c.total, c.percent) for c in summary.compliance[-2:]] == [
        (1, 3, 33),
        (2, 3, 67),
    ]


def test_problem_ages_fall_into_their_bands_at_the_edges() -> None:
    """7 days is the first band, 8 and 30 the second, 31 the third."""
    assert [age_band(d) for d in (0, 7, 8, 30, 31)] == ["week", "week", "month", "month", "older"]
    problems = [ProblemFacts(1, at(date(2026, 11, 9))), ProblemFacts(1, at(date(2026, 10, 16)))]
    summary = summarize(today=TODAY, ipals=[ipal(1)], reports=[], open_problems=problems)
    assert summary.problem_ages == {"week": 1, "month": 0, "older": 1}


def test_desludging_done_and_lltt_overdue() -> None:
    """Done: IPALs with a request done within the six months (by the request's day, not the
    registry's date), each once; overdue: the LLTT date has passed."""
    ipals = [
        ipal(1, last=date(2026, 6, 1)),
        ipal(2, last=date(2026, 10, 1)),
        ipal(3, last=None, built=2020),
        ipal(4, last=None, built=None),
    ]
    desludgings = [
        DesludgingFacts(1, date(2026, 6, 1)),
        DesludgingFacts(1, date(2026, 11, 2)),  # the same IPAL twice counts once
        DesludgingFacts(2, date(2026, 5, 31)),  # before the six months
        DesludgingFacts(4, date(2026, 11, 17)),  # after today
        DesludgingFacts(99, date(2026, 11, 1)),  # not of the area
    ]
    summary = summarize(
        today=TODAY, ipals=ipals, reports=[], open_problems=[], desludgings=desludgings
    )
    assert summary.desludged == 1
    assert summary.lltt_overdue == 1  # IPAL 3, due 1 January 2022; IPAL 4 has no date


def test_lights_count_each_ipals_newest_report() -> None:
    """An IPAL's September report gives way to its November one; unknown aspects are ignored."""
    reports = [
        ReportFacts(1, date(2026, 9, 1), "good", GREEN),
        ReportFacts(1, date(2026, 11, 1), "good", {**GREEN, "technical": "red", "odd": "red"}),
        ReportFacts(2, date(2026, 10, 1), "good", {**GREEN, "financial": "yellow"}),
    ]
    summary = summarize(today=TODAY, ipals=[ipal(1), ipal(2)], reports=reports, open_problems=[])
    assert summary.lights[Aspect.TECHNICAL] == {Light.RED: 1, Light.YELLOW: 0, Light.GREEN: 1}
    assert summary.lights[Aspect.FINANCIAL] == {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 1}


def test_ratings_are_listed_by_operator() -> None:
    ratings = [OperatorRating("UPT B", 2, 4.5), OperatorRating("UPT A", 1, 3.0)]
    summary = summarize(today=TODAY, ipals=[], reports=[], open_problems=[], ratings=ratings)
    assert [r.operator for r in summary.ratings] == ["UPT A", "UPT B"]
    assert summary.compliance[-1].percent == 0  # no IPAL: no division by zero


def test_export_periods_end_today() -> None:
    assert export_period("m", TODAY) == (date(2026, 11, 1), TODAY)
    assert export_period("q", TODAY) == (date(2026, 9, 1), TODAY)
    assert export_period("y", TODAY) == (date(2026, 1, 1), TODAY)
    with pytest.raises(ValueError, match="no export period"):
        export_period("w", TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01 2026-03-31", (date(2026, 1, 1), date(2026, 3, 31))),
        ("2026-03-31 2026-01-01", None),
        ("2026-01-01", None),
        ("kemarin hari ini", None),
    ],
)
def test_typed_periods(text: str, expected: tuple[date, date] | None) -> None:
    assert typed_period(text) == expected
