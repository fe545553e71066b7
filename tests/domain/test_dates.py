"""Tests for domain.dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain.dates import (
    WIB,
    add_months,
    format_date,
    format_date_short,
    format_datetime_wib,
    format_month,
    month_start,
    parse_date,
    previous_month,
)
from domain.errors import InputError

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05-12-2026", date(2026, 12, 5)),
        ("05/12/2026", date(2026, 12, 5)),
        ("05.12.2026", date(2026, 12, 5)),
        ("5-12-2026", date(2026, 12, 5)),
        ("5/1/2027", date(2027, 1, 5)),
        ("05-12-26", date(2026, 12, 5)),
        (" 28-11-2026 ", TODAY),
        ("5 Desember 2026", date(2026, 12, 5)),
        ("5 desember 2026", date(2026, 12, 5)),
        ("5 Des 2026", date(2026, 12, 5)),
        ("5 Des. 2026", date(2026, 12, 5)),
        ("5 December 2026", date(2026, 12, 5)),
        ("5 Dec 2026", date(2026, 12, 5)),
        ("December 5, 2026", date(2026, 12, 5)),
        ("Dec 5 2026", date(2026, 12, 5)),
        ("17 Agustus 2027", date(2027, 8, 17)),
        ("17 Agt 2027", date(2027, 8, 17)),
        ("17 Agu 2027", date(2027, 8, 17)),
        ("1 Mei 2027", date(2027, 5, 1)),
        ("1 Pebruari 2027", date(2027, 2, 1)),
        ("3 Nopember 2027", date(2027, 11, 3)),
        ("1  Januari   2027", date(2027, 1, 1)),
        ("29-02-2028", date(2028, 2, 29)),
    ],
)
def test_parse_date_accepts_numeric_and_named_months(text: str, expected: date) -> None:
    """Day-first numbers with any usual separator and Indonesian or English month names."""
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "besok",
        "2026-12-05",
        "05-12/2026",
        "31-11-2026",
        "29-02-2027",
        "00-12-2026",
        "05-13-2026",
        "5 Desemberr 2026",
        "5 Desember",
        "05-12-226",
        "5122026",
        "\u0665-12-2026",
        "1" * 100,
    ],
)
def test_parse_date_rejects_what_is_not_a_date(text: str) -> None:
    """Other orders, mixed separators, impossible days and unknown month names are invalid."""
    with pytest.raises(InputError) as caught:
        parse_date(text, today=TODAY)
    assert caught.value == InputError("input-date-invalid")


def test_parse_date_rejects_the_past_by_default() -> None:
    """Yesterday is in the past; today is not."""
    with pytest.raises(InputError) as caught:
        parse_date("27-11-2026", today=TODAY)
    assert caught.value == InputError("input-date-past")
    assert parse_date("28-11-2026", today=TODAY) == TODAY


def test_parse_date_accepts_the_past_when_allowed() -> None:
    """A date something already happened may lie in the past."""
    assert parse_date("1-1-2020", today=TODAY, allow_past=True) == date(2020, 1, 1)


@pytest.mark.parametrize(("text", "ok"), [("28-12-2026", True), ("29-12-2026", False)])
def test_parse_date_limits_how_far_ahead(text: str, ok: bool) -> None:
    """The last allowed day is today plus max_days_ahead."""
    if ok:
        assert parse_date(text, today=TODAY, max_days_ahead=30) == date(2026, 12, 28)
        return
    with pytest.raises(InputError) as caught:
        parse_date(text, today=TODAY, max_days_ahead=30)
    assert caught.value == InputError("input-date-too-far", {"days": 30})


@pytest.mark.parametrize(
    ("locale", "long", "short", "month"),
    [
        ("id", "28 November 2026", "Sab, 28 Nov", "November 2026"),
        ("en", "28 November 2026", "Sat, 28 Nov", "November 2026"),
    ],
)
def test_formats_in_both_languages(locale: str, long: str, short: str, month: str) -> None:
    """Long, short and month forms of the same day."""
    assert format_date(TODAY, locale) == long
    assert format_date_short(TODAY, locale) == short
    assert format_month(month_start(TODAY), locale) == month


@pytest.mark.parametrize(
    ("period", "locale", "expected"),
    [
        (date(2026, 12, 1), "id", "Desember 2026"),
        (date(2027, 8, 1), "id", "Agustus 2027"),
        (date(2027, 5, 1), "id", "Mei 2027"),
        (date(2026, 12, 1), "en", "December 2026"),
    ],
)
def test_format_month_uses_the_language_month_names(
    period: date, locale: str, expected: str
) -> None:
    """Month names come from the locale."""
    assert format_month(period, locale) == expected


@pytest.mark.parametrize(
    ("moment", "locale", "expected"),
    [
        (datetime(2026, 11, 28, 7, 30, tzinfo=UTC), "id", "28 November 2026 14.30 WIB"),
        (datetime(2026, 11, 28, 7, 30, tzinfo=UTC), "en", "28 November 2026 14:30 WIB"),
        (datetime(2026, 11, 28, 14, 30, tzinfo=WIB), "id", "28 November 2026 14.30 WIB"),
        (datetime(2026, 11, 28, 20, 5, tzinfo=UTC), "id", "29 November 2026 03.05 WIB"),
        (
            datetime(2026, 11, 28, 9, 0, tzinfo=timezone(timedelta(hours=9))),
            "id",
            "28 November 2026 07.00 WIB",
        ),
    ],
)
def test_format_datetime_wib_converts_to_jakarta_time(
    moment: datetime, locale: str, expected: str
) -> None:
    """Any aware datetime is shown in WIB, including the date change at midnight."""
    assert format_datetime_wib(moment, locale) == expected


def test_format_datetime_wib_refuses_naive_datetimes() -> None:
    """A naive datetime could be in any zone, so it is refused."""
    with pytest.raises(ValueError, match="naive"):
        format_datetime_wib(datetime(2026, 11, 28, 14, 30), "id")


@pytest.mark.parametrize(
    ("day", "start", "previous"),
    [
        (date(2026, 11, 28), date(2026, 11, 1), date(2026, 10, 1)),
        (date(2026, 11, 1), date(2026, 11, 1), date(2026, 10, 1)),
        (date(2027, 1, 15), date(2027, 1, 1), date(2026, 12, 1)),
        (date(2026, 3, 31), date(2026, 3, 1), date(2026, 2, 1)),
    ],
)
def test_month_start_and_previous_month(day: date, start: date, previous: date) -> None:
    """Both return first days of months, across year ends too."""
    assert month_start(day) == start
    assert previous_month(day) == previous


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
        (date(2020, 1, 1), 36, date(2023, 1, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day: date, months: int, expected: date) -> None:
    """Adding months keeps the day unless the target month is shorter."""
    assert add_months(day, months) == expected
