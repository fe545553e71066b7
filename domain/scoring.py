"""Sustainability traffic lights: one light per aspect for each monthly report.

The rules, in plain words:

Technical
  - red when the IPAL does not work, or it overflows or leaks;
  - yellow when it works but with any problem, or when fewer than half of its registered house
    connections are in use (an under-used plant is a warning sign too);
  - green otherwise.

Financial (the share of active house connections whose household paid the fee this month)
  - red when nothing was collected although houses are connected;
  - green when at least 80 % paid, yellow when at least 50 % paid, red below that;
  - yellow when no house is connected, since there is nobody to collect from.

Institutional
  - green when the operator worked and the KSM board met this month;
  - yellow when only one of the two happened;
  - red when neither did.

Governance
  - green when the books (cash book, member list) are up to date;
  - yellow when they are not;
  - red when they are not and the board did not meet either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from domain.vocabulary import LIGHT_ORDER, Aspect, Condition, Light, ProblemKind, Trend

__all__ = [
    "GREEN_PAYING_PERCENT",
    "MIN_IN_USE_PERCENT",
    "YELLOW_PAYING_PERCENT",
    "ReportFacts",
    "Scores",
    "Trend",
    "compare",
    "financial_light",
    "governance_light",
    "institutional_light",
    "overall_light",
    "score_report",
    "technical_light",
]

GREEN_PAYING_PERCENT = 80
YELLOW_PAYING_PERCENT = 50
MIN_IN_USE_PERCENT = 50

Scores: TypeAlias = Mapping[Aspect, Light]


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What a monthly report says, reduced to what the scores need."""

    condition: Condition
    problems: frozenset[ProblemKind]
    active_connections: int
    planned_connections: int | None  # the IPAL's registered house connections, when known
    paying_households: int
    fee_collected: int
    operator_active: bool
    board_met: bool
    books_up_to_date: bool

    def __post_init__(self) -> None:
        counts = (self.active_connections, self.paying_households, self.fee_collected)
        if min(counts) < 0 or (self.planned_connections or 0) < 0:
            raise ValueError("counts and amounts in a report cannot be negative")


def technical_light(facts: ReportFacts) -> Light:
    """Red when broken or overflowing, yellow on any problem or under-use, else green."""
    if facts.condition is Condition.BROKEN or ProblemKind.OVERFLOW in facts.problems:
        return Light.RED
    if facts.problems or facts.condition is Condition.PROBLEMS or _under_used(facts):
        return Light.YELLOW
    return Light.GREEN


def _under_used(facts: ReportFacts) -> bool:
    """Fewer than MIN_IN_USE_PERCENT of the registered connections are active."""
    planned = facts.planned_connections
    if not planned:
        return False
    return facts.active_connections * 100 < MIN_IN_USE_PERCENT * planned


def financial_light(facts: ReportFacts) -> Light:
    """By the share of active connections paying the fee."""
    active, paying = facts.active_connections, facts.paying_households
    if active == 0:
        return Light.YELLOW
    if facts.fee_collected == 0:
        return Light.RED
    if paying * 100 >= GREEN_PAYING_PERCENT * active:
        return Light.GREEN
    if paying * 100 >= YELLOW_PAYING_PERCENT * active:
        return Light.YELLOW
    return Light.RED


def institutional_light(facts: ReportFacts) -> Light:
    """Green when operator and board both worked, yellow for one, red for neither."""
    return LIGHT_ORDER[int(facts.operator_active) + int(facts.board_met)]


def governance_light(facts: ReportFacts) -> Light:
    """Green with books up to date; red without them and without a board meeting."""
    if facts.books_up_to_date:
        return Light.GREEN
    return Light.YELLOW if facts.board_met else Light.RED


def score_report(facts: ReportFacts) -> Scores:
    """The light of every aspect, in the order of `Aspect`."""
    return {
        Aspect.TECHNICAL: technical_light(facts),
        Aspect.FINANCIAL: financial_light(facts),
        Aspect.INSTITUTIONAL: institutional_light(facts),
        Aspect.GOVERNANCE: governance_light(facts),
    }


def overall_light(scores: Scores) -> Light:
    """The worst light of all aspects; green when there are none."""
    return min(scores.values(), key=LIGHT_ORDER.index, default=Light.GREEN)


def compare(current: Scores, previous: Scores | None) -> dict[Aspect, Trend]:
    """How each aspect of `current` moved since `previous` (up is better)."""
    before = previous or {}
    return {aspect: _trend(light, before.get(aspect)) for aspect, light in current.items()}


def _trend(current: Light, previous: Light | None) -> Trend:
    """The move from one light to the next."""
    if previous is None:
        return Trend.NEW
    if current.rank == previous.rank:
        return Trend.SAME
    return Trend.UP if current.rank > previous.rank else Trend.DOWN
