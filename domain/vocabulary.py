"""Fixed words of the domain.

The values are stored in the database and put into callback data, so they are stable,
lowercase ASCII and short (at most 18 characters; most stay within 12). Never rename a value;
add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    """Overall condition of an IPAL in a monthly report."""

    GOOD = "good"  # berfungsi baik
    PROBLEMS = "problems"  # berfungsi, ada masalah
    BROKEN = "broken"  # tidak berfungsi


class ProblemKind(StrEnum):
    """What is wrong, in a monthly report or a quick problem report."""

    ODOUR = "odour"
    OVERFLOW = "overflow"  # overflow or leak
    BLOCKED = "blocked"  # blocked pipe or manhole
    SLUDGE_FULL = "sludge_full"
    BROKEN = "broken"  # broken structure or pump
    MURKY = "murky"  # murky effluent
    OTHER = "other"


class Urgency(StrEnum):
    """How urgent a quick problem report is, in the reporter's own judgement."""

    LOW = "low"  # bisa menunggu
    HIGH = "high"  # segera
    EMERGENCY = "emergency"  # darurat


class DesludgingReason(StrEnum):
    """Why a KSM asks for desludging."""

    LLTT_DUE = "lltt_due"
    SLUDGE_FULL = "sludge_full"
    EMERGENCY = "emergency"


class Severity(StrEnum):
    """How bad something is; members are listed from mildest to worst."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in `SEVERITY_ORDER`: 0 for ok, higher is worse."""
        return SEVERITY_ORDER.index(self)

    def is_at_least(self, other: Severity) -> bool:
        """True when this severity is as bad as `other` or worse."""
        return self.rank >= other.rank


SEVERITY_ORDER: tuple[Severity, ...] = (Severity.OK, Severity.WARNING, Severity.CRITICAL)


class Aspect(StrEnum):
    """The four aspects of SANIMAS sustainability."""

    TECHNICAL = "technical"
    FINANCIAL = "financial"
    INSTITUTIONAL = "institutional"
    GOVERNANCE = "governance"


class Light(StrEnum):
    """Traffic light of one aspect; members are listed from worst to best."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """Position in `LIGHT_ORDER`: 0 for red, higher is better."""
        return LIGHT_ORDER.index(self)


LIGHT_ORDER: tuple[Light, ...] = (Light.RED, Light.YELLOW, Light.GREEN)


class Trend(StrEnum):
    """How an aspect's light moved since the previous report."""

    UP = "up"  # better
    DOWN = "down"  # worse
    SAME = "same"
    NEW = "new"  # nothing to compare with


class Role(StrEnum):
    """What a user is to the bot; granted only through an invitation."""

    MEMBER = "member"
    CHAIR = "chair"
    KALURAHAN_OFFICIAL = "kalurahan_official"
    KAPANEWON_OFFICIAL = "kapanewon_official"
    OPERATOR = "operator"
    ADMIN = "admin"
    PARTNER = "partner"
    """Outside the district's own chain (AKSANSI, Forum Kabupaten Sehat): receives notices."""

    @property
    def cli_name(self) -> str:
        """How the command line spells it: `kalurahan-official`."""
        return self.value.replace("_", "-")
