"""Tests for domain.severity."""

from __future__ import annotations

import pytest

from domain.severity import (
    problem_severity,
    report_severity,
    request_severity,
    suggests_desludging,
    worst,
)
from domain.vocabulary import Condition, DesludgingReason, ProblemKind, Severity, Urgency

P = ProblemKind


@pytest.mark.parametrize(
    ("condition", "problems", "expected"),
    [
        (Condition.GOOD, frozenset(), Severity.OK),
        (Condition.PROBLEMS, frozenset(), Severity.WARNING),
        (Condition.GOOD, frozenset({P.ODOUR}), Severity.WARNING),
        (Condition.GOOD, frozenset({P.SLUDGE_FULL}), Severity.WARNING),
        (Condition.PROBLEMS, frozenset({P.MURKY, P.BLOCKED}), Severity.WARNING),
        (Condition.GOOD, frozenset({P.OVERFLOW}), Severity.CRITICAL),
        (Condition.PROBLEMS, frozenset({P.ODOUR, P.OVERFLOW}), Severity.CRITICAL),
        (Condition.BROKEN, frozenset(), Severity.CRITICAL),
        (Condition.BROKEN, frozenset({P.BROKEN}), Severity.CRITICAL),
    ],
)
def test_report_severity(
    condition: Condition, problems: frozenset[ProblemKind], expected: Severity
) -> None:
    """Broken or overflowing is critical, any other problem a warning, else ok."""
    assert report_severity(condition, problems) is expected


@pytest.mark.parametrize("kind", list(ProblemKind))
@pytest.mark.parametrize("urgency", list(Urgency))
def test_problem_severity(kind: ProblemKind, urgency: Urgency) -> None:
    """Overflow or an emergency is critical; every other problem is a warning."""
    critical = kind is P.OVERFLOW or urgency is Urgency.EMERGENCY
    expected = Severity.CRITICAL if critical else Severity.WARNING
    assert problem_severity(kind, urgency) is expected


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (DesludgingReason.EMERGENCY, Severity.CRITICAL),
        (DesludgingReason.SLUDGE_FULL, Severity.WARNING),
        (DesludgingReason.LLTT_DUE, Severity.OK),
    ],
)
def test_request_severity(reason: DesludgingReason, expected: Severity) -> None:
    """Each desludging reason has its severity."""
    assert request_severity(reason) is expected


@pytest.mark.parametrize(
    ("problems", "expected"),
    [
        (frozenset(), False),
        (frozenset({P.ODOUR, P.MURKY}), False),
        (frozenset({P.SLUDGE_FULL}), True),
        (frozenset({P.SLUDGE_FULL, P.OVERFLOW}), True),
    ],
)
def test_suggests_desludging_when_sludge_is_full(
    problems: frozenset[ProblemKind], expected: bool
) -> None:
    """Only a full sludge tank prompts the desludging offer."""
    assert suggests_desludging(problems) is expected


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ([], Severity.OK),
        ([Severity.OK], Severity.OK),
        ([Severity.WARNING, Severity.OK], Severity.WARNING),
        ([Severity.OK, Severity.CRITICAL, Severity.WARNING], Severity.CRITICAL),
    ],
)
def test_worst_picks_the_most_serious(severities: list[Severity], expected: Severity) -> None:
    """The worst severity by rank, not by alphabet."""
    assert worst(severities) is expected
