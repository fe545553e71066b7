"""The volume of sludge a truck took away, typed by an operator (`3,5`, `4 m3`, `2.25`)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from domain.errors import InputError

MAX_VOLUME_M3 = Decimal("100")
"""More than a few trucks' worth from one IPAL is a typing mistake."""
_UNIT = re.compile(r"\s*(m3|m³|kubik|meter kubik)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")


def parse_volume(text: str) -> Decimal:
    """The volume in m³ with at most two decimals, above 0 and up to `MAX_VOLUME_M3`."""
    cleaned = _UNIT.sub("", text.strip())
    if not _NUMBER.fullmatch(cleaned):
        raise InputError("desludging-volume-invalid")
    try:
        volume = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise InputError("desludging-volume-invalid") from None
    if not Decimal(0) < volume <= MAX_VOLUME_M3:
        raise InputError("desludging-volume-range", {"max": int(MAX_VOLUME_M3)})
    return volume.quantize(Decimal("0.01"))


def format_volume(volume: Decimal, language: str) -> str:
    """`3,5` in Indonesian, `3.5` in English; no trailing zeros."""
    text = f"{volume.normalize():f}"
    return text.replace(".", ",") if language == "id" else text
