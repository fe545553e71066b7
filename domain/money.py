"""Amounts of money in whole rupiah, as members type them and as the bot shows them.

Indonesian writing is the default: `.` groups thousands and `,` starts the decimals
(`Rp 1.250.000,00`). Members also type `150,000`, `150 ribu`, `1,5 juta` or `1.5jt`, so:

- `.` followed by groups of exactly three digits groups thousands (`150.000`);
- `,` followed by groups of exactly three digits groups thousands too, unless a multiplier
  (`ribu`/`rb`/`k`, `juta`/`jt`) follows (`150,000`; but `1,500 juta` is one and a half million);
- any other single `,` or `.` is a decimal point (`1,5 juta`, `1.5 juta`, `Rp 150.000,00`);
- whatever the notation, the result must be whole rupiah.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency

from domain.errors import InputError

MAX_RUPIAH = 1_000_000_000
_MAX_TEXT_LENGTH = 64

_MULTIPLIERS: dict[str, int] = {
    "ribu": 1_000,
    "rb": 1_000,
    "k": 1_000,
    "juta": 1_000_000,
    "jt": 1_000_000,
}
_AMOUNT = re.compile(
    r"^(?:rp\.?|idr)? ?(?P<number>[\d.,]+?) ?(?P<mult>ribu|rb|k|juta|jt)? ?(?:,-|rupiah)?$",
    re.ASCII,
)
_PLAIN = re.compile(r"^\d+$", re.ASCII)
_DOT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$", re.ASCII)
_COMMA_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+$", re.ASCII)
_COMMA_DECIMAL = re.compile(r"^(?:\d+|\d{1,3}(?:\.\d{3})+),\d+$", re.ASCII)
_DOT_DECIMAL = re.compile(r"^\d+\.\d+$", re.ASCII)


def parse_rupiah(text: str) -> int:
    """Whole rupiah from what a member typed; raises InputError on anything else."""
    if len(text) > _MAX_TEXT_LENGTH:
        raise InputError("input-money-invalid")
    match = _AMOUNT.match(" ".join(text.lower().split()))
    if match is None:
        raise InputError("input-money-invalid")
    multiplier = _MULTIPLIERS[match["mult"]] if match["mult"] else 1
    value = _number(match["number"], has_multiplier=multiplier > 1) * multiplier
    if value.denominator != 1:
        raise InputError("input-money-invalid")
    if value > MAX_RUPIAH:
        raise InputError("input-money-too-large")
    return int(value)


def _number(token: str, *, has_multiplier: bool) -> Fraction:
    """The exact value of the digits-and-separators part of an amount."""
    if _PLAIN.match(token) or _DOT_GROUPS.match(token):
        return Fraction(token.replace(".", ""))
    if _COMMA_GROUPS.match(token) and not has_multiplier:
        return Fraction(token.replace(",", ""))
    if _COMMA_DECIMAL.match(token):
        return Fraction(token.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.match(token):
        return Fraction(token)
    raise InputError("input-money-invalid")


def format_rupiah(amount: int, locale: str) -> str:
    """`Rp150.000` in Indonesian, `IDR150,000` in English: the locale's pattern, no decimals."""
    return format_currency(
        amount, "IDR", locale=locale, format=_pattern(locale), currency_digits=False
    )


@lru_cache(maxsize=8)
def _pattern(locale: str) -> str:
    """The locale's currency pattern with its fraction part removed."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return re.sub(r"\.[0#]+", "", pattern)
