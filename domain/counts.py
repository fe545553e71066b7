"""Whole numbers members type: house connections, paying households, volumes."""

from __future__ import annotations

import re

from domain.errors import InputError

_MAX_TEXT_LENGTH = 40
_UNITS = (
    "sambungan rumah",
    "rumah tangga",
    "households",
    "household",
    "connections",
    "connection",
    "houses",
    "house",
    "rumah",
    "orang",
    "unit",
    "sr",
    "kk",
)
_NUMBER = r"\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+"
_COUNT = re.compile(rf"^(?P<number>{_NUMBER})(?: ?(?:{'|'.join(_UNITS)}))?$", re.ASCII)


def parse_count(text: str, *, minimum: int = 0, maximum: int) -> int:
    """A count between `minimum` and `maximum`, optionally followed by a unit ("45 SR")."""
    if minimum > maximum:
        raise ValueError(f"minimum {minimum} is above maximum {maximum}")
    match = _COUNT.match(" ".join(text.lower().split()))
    if match is None or len(text) > _MAX_TEXT_LENGTH:
        raise InputError("input-number-invalid")
    value = int(re.sub(r"[.,]", "", match["number"]))
    if not minimum <= value <= maximum:
        raise InputError("input-number-range", {"min": minimum, "max": maximum})
    return value
