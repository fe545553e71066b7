"""Tests for domain.routing: who is alerted about what, and when."""

from __future__ import annotations

import pytest

from domain.routing import Event, Purpose, at_any_hour, route
from domain.vocabulary import Role, Severity

ACT, INFO = Purpose.ACT, Purpose.INFO
KALURAHAN, KAPANEWON = Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL
CRITICAL = {KALURAHAN: ACT, KAPANEWON: ACT, Role.ADMIN: ACT}


@pytest.mark.parametrize("event", [Event.REPORT, Event.PROBLEM])
@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.OK, {}),
        (Severity.WARNING, {KALURAHAN: ACT}),
        (Severity.CRITICAL, CRITICAL),
    ],
)
def test_reports_and_problems_by_severity(
    event: Event, severity: Severity, expected: dict[Role, Purpose]
) -> None:
    """Critical reaches kalurahan, kapanewon and admins; a warning the kalurahan; ok nobody."""
    assert dict(route(event, severity)) == expected


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.OK, {Role.OPERATOR: ACT, KALURAHAN: INFO}),
        (Severity.WARNING, {Role.OPERATOR: ACT, KALURAHAN: INFO}),
        (Severity.CRITICAL, {Role.OPERATOR: ACT, **CRITICAL}),
    ],
)
def test_desludging_requests_go_to_operators(
    severity: Severity, expected: dict[Role, Purpose]
) -> None:
    """Operators act on every request, the kalurahan is informed, an emergency is critical."""
    assert dict(route(Event.DESLUDGING, severity)) == expected


@pytest.mark.parametrize("event", list(Event))
@pytest.mark.parametrize("severity", list(Severity))
def test_members_and_chairs_are_never_alerted(event: Event, severity: Severity) -> None:
    """Alerts go to officials, operators and admins only."""
    assert not set(route(event, severity)) & {Role.MEMBER, Role.CHAIR}


def test_only_critical_goes_at_any_hour() -> None:
    """Warnings and routine alerts wait out the quiet hours."""
    assert [severity for severity in Severity if at_any_hour(severity)] == [Severity.CRITICAL]
