"""Who is alerted about what a KSM sends, and whether the alert may wake them at night.

The rules, in plain words:

- a critical report, problem or desludging request alerts the kalurahan officials of the
  IPAL's area, its kapanewon officials and the district admins, at once, at any hour;
- a warning alerts the kalurahan officials only, and waits out the quiet hours;
- a desludging request alerts the operators (who act on it) and the kalurahan officials for
  information, whatever its severity; an emergency request is critical, so the critical
  audience is alerted as well;
- nothing else alerts anybody.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from domain.vocabulary import Role, Severity


class Event(enum.StrEnum):
    """What a KSM member sent."""

    REPORT = "report"
    PROBLEM = "problem"
    DESLUDGING = "desludging"


class Purpose(enum.StrEnum):
    """Why a recipient gets an alert: to act on it (with buttons) or only to know."""

    ACT = "act"
    INFO = "info"


CRITICAL_AUDIENCE = (Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL, Role.ADMIN)
WARNING_AUDIENCE = (Role.KALURAHAN_OFFICIAL,)


def route(event: Event, severity: Severity) -> Mapping[Role, Purpose]:
    """The roles alerted about `event` of `severity`, each with its purpose."""
    audience: dict[Role, Purpose] = {}
    if event is Event.DESLUDGING:
        audience = {Role.OPERATOR: Purpose.ACT, Role.KALURAHAN_OFFICIAL: Purpose.INFO}
    if severity is Severity.CRITICAL:
        audience.update(dict.fromkeys(CRITICAL_AUDIENCE, Purpose.ACT))
    elif severity is Severity.WARNING and event is not Event.DESLUDGING:
        audience.update(dict.fromkeys(WARNING_AUDIENCE, Purpose.ACT))
    return audience


def at_any_hour(severity: Severity) -> bool:
    """Only a critical alert may go out during the quiet hours."""
    return severity is Severity.CRITICAL
