"""Tests for domain.vocabulary."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.vocabulary import (
    LIGHT_ORDER,
    SEVERITY_ORDER,
    Aspect,
    Condition,
    DesludgingReason,
    Light,
    ProblemKind,
    Role,
    Severity,
    Trend,
    Urgency,
)

VOCABULARIES: list[type[StrEnum]] = [
    Condition,
    ProblemKind,
    Urgency,
    DesludgingReason,
    Severity,
    Aspect,
    Light,
    Trend,
    Role,
]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_values_are_short_lowercase_ascii(vocabulary: type[StrEnum]) -> None:
    """Values fit in callback data and database columns: ASCII, lowercase, at most 18 chars."""
    for member in vocabulary:
        assert member.value.isascii()
        assert member.value == member.value.lower()
        assert len(member.value) <= 18


@pytest.mark.parametrize(
    ("vocabulary", "values"),
    [
        (Condition, ["good", "problems", "broken"]),
        (
            ProblemKind,
            ["odour", "overflow", "blocked", "sludge_full", "broken", "murky", "other"],
        ),
        (Urgency, ["low", "high", "emergency"]),
        (DesludgingReason, ["lltt_due", "sludge_full", "emergency"]),
        (Severity, ["ok", "warning", "critical"]),
        (Aspect, ["technical", "financial", "institutional", "governance"]),
        (Light, ["green", "yellow", "red"]),
        (Trend, ["up", "down", "same", "new"]),
        (
            Role,
            [
                "member",
                "chair",
                "kalurahan_official",
                "kapanewon_official",
                "operator",
                "admin",
                "partner",
            ],
        ),
    ],
)
def test_stored_values_never_change(vocabulary: type[StrEnum], values: list[str]) -> None:
    """The values stored in the database are exactly these."""
    assert sorted(member.value for member in vocabulary) == sorted(values)


def test_severity_order_runs_from_ok_to_critical() -> None:
    """Ranks grow with badness."""
    assert SEVERITY_ORDER == (Severity.OK, Severity.WARNING, Severity.CRITICAL)
    assert [severity.rank for severity in SEVERITY_ORDER] == [0, 1, 2]


@pytest.mark.parametrize(
    ("severity", "threshold", "expected"),
    [
        (Severity.CRITICAL, Severity.WARNING, True),
        (Severity.WARNING, Severity.WARNING, True),
        (Severity.OK, Severity.WARNING, False),
        (Severity.OK, Severity.OK, True),
        (Severity.WARNING, Severity.CRITICAL, False),
    ],
)
def test_is_at_least_compares_badness(
    severity: Severity, threshold: Severity, expected: bool
) -> None:
    """A severity is at least a threshold when it is as bad or worse."""
    assert severity.is_at_least(threshold) is expected


def test_light_order_runs_from_red_to_green() -> None:
    """Ranks grow with health."""
    assert LIGHT_ORDER == (Light.RED, Light.YELLOW, Light.GREEN)
    assert [light.rank for light in LIGHT_ORDER] == [0, 1, 2]


def test_members_compare_equal_to_their_values() -> None:
    """StrEnum members can be used wherever the stored string is expected."""
    assert str(Role.KALURAHAN_OFFICIAL) == "kalurahan_official"
    assert "/".join([Role.CHAIR, Role.ADMIN]) == "chair/admin"
    assert f"{ProblemKind.SLUDGE_FULL}" == "sludge_full"
    assert Condition("broken") is Condition.BROKEN
