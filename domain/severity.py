"""How serious a report, a problem or a desludging request is.

Severity decides who is alerted and when: a critical one goes out at any hour, a warning waits
out the night, ok is only recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.vocabulary import (
    SEVERITY_ORDER,
    Condition,
    DesludgingReason,
    ProblemKind,
    Severity,
    Urgency,
)

_REQUEST_SEVERITY: dict[DesludgingReason, Severity] = {
    DesludgingReason.EMERGENCY: Severity.CRITICAL,
    DesludgingReason.SLUDGE_FULL: Severity.WARNING,
    DesludgingReason.LLTT_DUE: Severity.OK,
}


def report_severity(condition: Condition, problems: frozenset[ProblemKind]) -> Severity:
    """Critical when the IPAL does not work or overflows; warning on any other problem."""
    if condition is Condition.BROKEN or ProblemKind.OVERFLOW in problems:
        return Severity.CRITICAL
    if problems or condition is Condition.PROBLEMS:
        return Severity.WARNING
    return Severity.OK


def problem_severity(kind: ProblemKind, urgency: Urgency) -> Severity:
    """Critical for an overflow or whatever the reporter calls an emergency; else warning."""
    if kind is ProblemKind.OVERFLOW or urgency is Urgency.EMERGENCY:
        return Severity.CRITICAL
    return Severity.WARNING


def request_severity(reason: DesludgingReason) -> Severity:
    """Emergency is critical, full sludge a warning, a routine LLTT request ok."""
    return _REQUEST_SEVERITY[reason]


def suggests_desludging(problems: frozenset[ProblemKind]) -> bool:
    """True when the report says the sludge is full, so the bot offers a desludging request."""
    return ProblemKind.SLUDGE_FULL in problems


def worst(severities: Iterable[Severity]) -> Severity:
    """The worst of `severities`; ok when there are none."""
    return max(severities, key=SEVERITY_ORDER.index, default=Severity.OK)
