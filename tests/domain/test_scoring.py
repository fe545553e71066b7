"""Tests for domain.scoring."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from domain.scoring import (
    ReportFacts,
    Scores,
    Trend,
    compare,
    financial_light,
    governance_light,
    institutional_light,
    overall_light,
    score_report,
    technical_light,
)
from domain.vocabulary import Aspect, Condition, Light, ProblemKind

P = ProblemKind
GOOD = ReportFacts(
    condition=Condition.GOOD,
    problems=frozenset(),
    active_connections=40,
    planned_connections=50,
    paying_households=40,
    fee_collected=400_000,
    operator_active=True,
    board_met=True,
    books_up_to_date=True,
)


def facts(**changes: Any) -> ReportFacts:
    """A healthy report with some facts changed."""
    return dataclasses.replace(GOOD, **changes)


def test_a_healthy_report_is_green_everywhere() -> None:
    """Working plant, paying households, active operator and board, books kept."""
    assert score_report(GOOD) == dict.fromkeys(Aspect, Light.GREEN)


def test_scores_cover_every_aspect_in_order() -> None:
    """One light per aspect, in the order of Aspect."""
    assert list(score_report(GOOD)) == list(Aspect)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"condition": Condition.BROKEN}, Light.RED),
        ({"problems": frozenset({P.OVERFLOW})}, Light.RED),
        ({"condition": Condition.PROBLEMS, "problems": frozenset({P.OVERFLOW})}, Light.RED),
        ({"condition": Condition.PROBLEMS}, Light.YELLOW),
        ({"problems": frozenset({P.ODOUR})}, Light.YELLOW),
        ({"problems": frozenset({P.SLUDGE_FULL})}, Light.YELLOW),
        ({"active_connections": 24, "paying_households": 24}, Light.YELLOW),
        ({"active_connections": 25, "paying_households": 25}, Light.GREEN),
        ({"active_connections": 0, "planned_connections": 50}, Light.YELLOW),
        ({"active_connections": 3, "planned_connections": None}, Light.GREEN),
        ({"active_connections": 0, "planned_connections": 0}, Light.GREEN),
        ({}, Light.GREEN),
    ],
)
def test_technical_light(changes: dict[str, Any], expected: Light) -> None:
    """Red when broken or overflowing, yellow on problems or under half in use."""
    assert technical_light(facts(**changes)) is expected


@pytest.mark.parametrize(
    ("active", "paying", "collected", "expected"),
    [
        (40, 40, 400_000, Light.GREEN),
        (40, 32, 320_000, Light.GREEN),
        (40, 31, 310_000, Light.YELLOW),
        (40, 20, 200_000, Light.YELLOW),
        (40, 19, 190_000, Light.RED),
        (40, 0, 0, Light.RED),
        (40, 40, 0, Light.RED),
        (40, 0, 50_000, Light.RED),
        (40, 45, 450_000, Light.GREEN),
        (0, 0, 0, Light.YELLOW),
        (0, 0, 10_000, Light.YELLOW),
    ],
)
def test_financial_light(active: int, paying: int, collected: int, expected: Light) -> None:
    """By the share of active connections paying; nothing collected is red."""
    changes = {"active_connections": active, "paying_households": paying}
    assert financial_light(facts(**changes, fee_collected=collected)) is expected


@pytest.mark.parametrize(
    ("operator", "board", "expected"),
    [
        (True, True, Light.GREEN),
        (True, False, Light.YELLOW),
        (False, True, Light.YELLOW),
        (False, False, Light.RED),
    ],
)
def test_institutional_light(operator: bool, board: bool, expected: Light) -> None:
    """Operator and board both active is green, one yellow, none red."""
    assert institutional_light(facts(operator_active=operator, board_met=board)) is expected


@pytest.mark.parametrize(
    ("books", "board", "expected"),
    [
        (True, True, Light.GREEN),
        (True, False, Light.GREEN),
        (False, True, Light.YELLOW),
        (False, False, Light.RED),
    ],
)
def test_governance_light(books: bool, board: bool, expected: Light) -> None:
    """Books kept is green; not kept is yellow, red when the board did not meet either."""
    assert governance_light(facts(books_up_to_date=books, board_met=board)) is expected


def test_a_neglected_plant_is_red_everywhere() -> None:
    """Broken, nothing collected, nobody active, no books."""
    neglected = facts(
        condition=Condition.BROKEN,
        fee_collected=0,
        paying_households=0,
        operator_active=False,
        board_met=False,
        books_up_to_date=False,
    )
    assert score_report(neglected) == dict.fromkeys(Aspect, Light.RED)


@pytest.mark.parametrize(
    "changes",
    [
        {"active_connections": -1},
        {"paying_households": -1},
        {"fee_collected": -1},
        {"planned_connections": -1},
    ],
)
def test_report_facts_refuse_negative_numbers(changes: dict[str, Any]) -> None:
    """Counts and amounts come parsed and can never be negative."""
    with pytest.raises(ValueError, match="negative"):
        facts(**changes)


def test_report_facts_are_frozen() -> None:
    """Facts are values; a score never changes under the caller's feet."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        GOOD.board_met = False  # type: ignore[misc]


def _scores(*lights: Light) -> Scores:
    return dict(zip(Aspect, lights, strict=True))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (_scores(Light.GREEN, Light.GREEN, Light.GREEN, Light.GREEN), Light.GREEN),
        (_scores(Light.GREEN, Light.YELLOW, Light.GREEN, Light.GREEN), Light.YELLOW),
        (_scores(Light.YELLOW, Light.RED, Light.GREEN, Light.YELLOW), Light.RED),
        ({}, Light.GREEN),
    ],
)
def test_overall_light_is_the_worst_aspect(scores: Scores, expected: Light) -> None:
    """One red aspect makes the plant red overall."""
    assert overall_light(scores) is expected


def test_compare_without_previous_report_is_new() -> None:
    """The first report has nothing to compare with."""
    assert compare(score_report(GOOD), None) == dict.fromkeys(Aspect, Trend.NEW)


def test_compare_tells_up_down_and_same_per_aspect() -> None:
    """Towards green is up, towards red is down."""
    previous = _scores(Light.RED, Light.GREEN, Light.YELLOW, Light.YELLOW)
    current = _scores(Light.YELLOW, Light.RED, Light.YELLOW, Light.GREEN)
    assert compare(current, previous) == {
        Aspect.TECHNICAL: Trend.UP,
        Aspect.FINANCIAL: Trend.DOWN,
        Aspect.INSTITUTIONAL: Trend.SAME,
        Aspect.GOVERNANCE: Trend.UP,
    }


def test_compare_marks_aspects_missing_before_as_new() -> None:
    """An aspect the previous scores lack is new."""
    previous = {Aspect.TECHNICAL: Light.GREEN}
    current = _scores(Light.GREEN, Light.GREEN, Light.RED, Light.RED)
    trends = compare(current, previous)
    assert trends[Aspect.TECHNICAL] is Trend.SAME
    assert {trends[aspect] for aspect in list(Aspect)[1:]} == {Trend.NEW}
