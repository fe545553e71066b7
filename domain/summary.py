"""The figures of an area's summary (`/rekap`): plain rows in, counts out.

Over the month of `today` and the five before it:

- IPALs by state this month: working, with problems, not working (from this month's report),
  no report yet;
- report compliance per month: how many IPALs reported, of how many;
- open problems by age in days: up to 7, 8 to 30, over 30;
- desludging done in the six months (IPALs with a request done, by the request's `done_on`)
  and LLTT overdue;
- each aspect's lights over every IPAL's newest report of the six months;
- desludging ratings per operator (the team that came), of desludgings done in the six months.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.dates import add_months, month_start
from domain.lltt import next_lltt_due, overdue_days
from domain.vocabulary import Aspect, Condition, Light

MONTHS = 6
AGE_BANDS = ("week", "month", "older")
"""Open problems by age: up to 7 days, 8 to 30 days, over 30 days."""
STATES = ("good", "problems", "broken", "missing")
"""An IPAL's state this month: its report's condition, or no report yet."""


@dataclass(frozen=True)
class IpalFacts:
    """What the summary needs of one IPAL of the registry."""

    ipal_id: int
    built_year: int | None
    last_desludged_on: date | None
    interval_months: int


@dataclass(frozen=True)
class ReportFacts:
    ipal_id: int
    period: date
    condition: str
    scores: Mapping[str, str]


@dataclass(frozen=True)
class ProblemFacts:
    ipal_id: int
    reported_at: datetime


@dataclass(frozen=True)
class DesludgingFacts:
    """A desludging request done: its IPAL and the day it was done."""

    ipal_id: int
    done_on: date


@dataclass(frozen=True)
class OperatorRating:
    """The desludging ratings of one operator: how many and their average stars."""

    operator: str
    count: int
    average: float


@dataclass(frozen=True)
class Compliance:
    period: date
    reported: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.total) if self.total else 0


@dataclass(frozen=True)
class Summary:
    months: tuple[date, ...]
    ipals: int
    states: dict[str, int]
    compliance: tuple[Compliance, ...]
    problem_ages: dict[str, int]
    desludged: int
    lltt_overdue: int
    lights: dict[Aspect, dict[Light, int]]
    ratings: tuple[OperatorRating, ...] = field(default=())


def summary_months(today: date, months: int = MONTHS) -> tuple[date, ...]:
    """The first days of the month of `today` and the `months - 1` before it, oldest first."""
    current = month_start(today)
    return tuple(add_months(current, -back) for back in range(months - 1, -1, -1))


def summarize(
    *,
    today: date,
    ipals: Iterable[IpalFacts],
    reports: Iterable[ReportFacts],
    open_problems: Iterable[ProblemFacts],
    desludgings: Iterable[DesludgingFacts] = (),
    ratings: Iterable[OperatorRating] = (),
) -> Summary:
    """The summary of these IPALs as of `today` (reports of other IPALs are ignored)."""
    registry = {ipal.ipal_id: ipal for ipal in ipals}
    months = summary_months(today)
    by_month: dict[date, dict[int, ReportFacts]] = {period: {} for period in months}
    newest: dict[int, ReportFacts] = {}
    for report in reports:
        if report.ipal_id not in registry or report.period not in by_month:
            continue
        by_month[report.period][report.ipal_id] = report
        known = newest.get(report.ipal_id)
        if known is None or known.period < report.period:
            newest[report.ipal_id] = report
    return Summary(
        months=months,
        ipals=len(registry),
        states=_states(len(registry), by_month[months[-1]].values()),
        compliance=tuple(
            Compliance(period, len(by_month[period]), len(registry)) for period in months
        ),
        problem_ages=_ages(today, (p for p in open_problems if p.ipal_id in registry)),
        desludged=len(
            {
                done.ipal_id
                for done in desludgings
                if done.ipal_id in registry and months[0] <= done.done_on <= today
            }
        ),
        lltt_overdue=sum(1 for ipal in registry.values() if _overdue(ipal, today)),
        lights=_lights(newest.values()),
        ratings=tuple(sorted(ratings, key=lambda rating: rating.operator)),
    )


def _states(total: int, reports: Iterable[ReportFacts]) -> dict[str, int]:
    counted = Counter(report.condition for report in reports)
    states = {state: counted.get(state, 0) for state in (c.value for c in Condition)}
    states["missing"] = total - sum(states.values())
    return states


def age_band(days: int) -> str:
    if days <= 7:
        return "week"
    if days <= 30:
        return "month"
    return "older"


def _ages(today: date, problems: Iterable[ProblemFacts]) -> dict[str, int]:
    counted = Counter(age_band((today - p.reported_at.date()).days) for p in problems)
    return {band: counted.get(band, 0) for band in AGE_BANDS}


def _overdue(ipal: IpalFacts, today: date) -> bool:
    due = next_lltt_due(
        last_desludged_on=ipal.last_desludged_on,
        built_year=ipal.built_year,
        interval_months=ipal.interval_months,
    )
    return due is not None and overdue_days(due, today) > 0


def _lights(reports: Iterable[ReportFacts]) -> dict[Aspect, dict[Light, int]]:
    lights = {aspect: dict.fromkeys(Light, 0) for aspect in Aspect}
    for report in reports:
        for aspect, light in report.scores.items():
            if aspect in Aspect._value2member_map_ and light in Light._value2member_map_:
                lights[Aspect(aspect)][Light(light)] += 1
    return lights


EXPORT_PERIODS = ("m", "q", "y")
"""The periods `/ekspor` offers: this month, the last 3 months, this year."""


def export_period(code: str, today: date) -> tuple[date, date]:
    """The first and last day of an offered period, ending today."""
    current = month_start(today)
    if code == "m":
        return current, today
    if code == "q":
        return add_months(current, -2), today
    if code == "y":
        return date(today.year, 1, 1), today
    raise ValueError(f"no export period {code!r}")


def typed_period(text: str) -> tuple[date, date] | None:
    """`2026-01-01 2026-03-31` as two dates, the first not after the second; else None."""
    parts = text.split()
    if len(parts) != 2:
        return None
    try:
        first, last = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
    except ValueError:
        return None
    return (first, last) if first <= last else None
