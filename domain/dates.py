"""Dates as members type them, and dates and times as the bot shows them (always WIB)."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import product
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date

from domain.errors import InputError

WIB = ZoneInfo("Asia/Jakarta")
"""Western Indonesian Time; the `tzdata` dependency provides it where the host has no zone files."""

_MAX_TEXT_LENGTH = 40
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2}) ([a-z]+)\.? (\d{2}|\d{4})$", re.ASCII)
_MONTH_FIRST = re.compile(r"^([a-z]+)\.? (\d{1,2}),? (\d{2}|\d{4})$", re.ASCII)
_EXTRA_MONTH_NAMES = {
    "peb": 2,
    "pebruari": 2,
    "agt": 8,
    "agus": 8,
    "sept": 9,
    "nop": 11,
    "nopember": 11,
}


def parse_date(
    text: str, *, today: date, max_days_ahead: int | None = None, allow_past: bool = False
) -> date:
    """A date typed as `5-12-2026`, `05/12/26`, `5 Des 2026` or `December 5, 2026`."""
    day, month, year = _date_parts(" ".join(text.lower().split()))
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise InputError("input-date-invalid") from None
    if not allow_past and parsed < today:
        raise InputError("input-date-past")
    if max_days_ahead is not None and (parsed - today).days > max_days_ahead:
        raise InputError("input-date-too-far", {"days": max_days_ahead})
    return parsed


def _date_parts(text: str) -> tuple[int, int, int]:
    """Day, month and year of a normalised date text, not yet checked against the calendar."""
    if len(text) <= _MAX_TEXT_LENGTH:
        if match := _NUMERIC.match(text):
            return int(match[1]), int(match[3]), _year(match[4])
        if (match := _DAY_FIRST.match(text)) and match[2] in _month_names():
            return int(match[1]), _month_names()[match[2]], _year(match[3])
        if (match := _MONTH_FIRST.match(text)) and match[1] in _month_names():
            return int(match[2]), _month_names()[match[1]], _year(match[3])
    raise InputError("input-date-invalid")


def _year(digits: str) -> int:
    """A four-digit year as written; a two-digit year is in this century (`26` is 2026)."""
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    """Lower-case Indonesian and English month names and abbreviations, plus common variants."""
    names = dict(_EXTRA_MONTH_NAMES)
    for locale in ("id", "en"):
        months = Locale.parse(locale).months
        for context, width in product(("format", "stand-alone"), ("wide", "abbreviated")):
            names.update({name.lower(): number for number, name in months[context][width].items()})
    return names


@lru_cache(maxsize=4096)
def format_date(d: date, locale: str) -> str:
    """`28 November 2026` in both languages (kept: reminders name the same days again)."""
    return babel_format_date(d, "d MMMM y", locale=locale)


def format_date_short(d: date, locale: str) -> str:
    """`Sab, 28 Nov` in Indonesian, `Sat, 28 Nov` in English."""
    return babel_format_date(d, "EEE, d MMM", locale=locale)


def format_datetime_wib(dt: datetime, locale: str) -> str:
    """`28 November 2026 14.30 WIB` (English: `14:30`); raises ValueError on a naive datetime."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("a naive datetime has no defined WIB time")
    local = dt.astimezone(WIB)
    clock = f"{local.hour:02d}{_time_separator(locale)}{local.minute:02d}"
    return f"{format_date(local.date(), locale)} {clock} WIB"


@lru_cache(maxsize=8)
def _time_separator(locale: str) -> str:
    """The character between hours and minutes in the locale's short time (`.` in id)."""
    pattern = Locale.parse(locale).time_formats["short"].pattern
    match = re.search(r"[Hh]+([^Hhm]+)m", pattern)
    return match[1] if match else ":"


def format_month(period: date, locale: str) -> str:
    """`Desember 2026`: the stand-alone month name and the year."""
    return babel_format_date(period, "LLLL y", locale=locale)


def month_start(d: date) -> date:
    """The first day of the month of `d`."""
    return d.replace(day=1)


def previous_month(period: date) -> date:
    """The first day of the month before the month of `period`."""
    return month_start(month_start(period) - timedelta(days=1))


def add_months(d: date, months: int) -> date:
    """`d` moved by whole months (negative goes back); the day is clamped to the month's end."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last_day))
