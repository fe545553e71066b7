"""Rules of invitation codes: their shape, their validity, and the lock-out after wrong guesses."""

from __future__ import annotations

import enum
import re
import secrets
from datetime import datetime, timedelta

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_SEPARATORS = re.compile(r"[\s-]+")


class CodeProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"


def new_code() -> str:
    """Ten letters and digits without look-alikes (0/O, 1/I): easy to read out, hard to guess."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code as stored, or None when the text can't be a code at all.

    A code has the length and alphabet of `new_code`'s, in either case; spaces and hyphens
    people type to group it are left out ("abcd-efgh 23").
    """
    candidate = _SEPARATORS.sub("", text)
    if not candidate.isascii() or len(candidate) != CODE_LENGTH:
        return None
    candidate = candidate.upper()
    return candidate if all(char in CODE_ALPHABET for char in candidate) else None


def code_problem(
    *, expires_at: datetime | None, max_uses: int, uses: int, now: datetime
) -> CodeProblem | None:
    if expires_at is not None and now >= expires_at:
        return CodeProblem.EXPIRED
    if uses >= max_uses:
        return CodeProblem.USED_UP
    return None


def lock_after_failure(
    *, failures: int, max_failures: int, lockout: timedelta, now: datetime
) -> datetime | None:
    """When `failures` wrong codes reach the limit, the moment the lock-out ends."""
    return now + lockout if failures >= max_failures else None
