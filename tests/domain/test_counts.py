"""Tests for domain.counts."""

from __future__ import annotations

import pytest

from domain.counts import parse_count
from domain.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45", 45),
        (" 45 ", 45),
        ("45 SR", 45),
        ("45sr", 45),
        ("45 rumah", 45),
        ("45 KK", 45),
        ("45 rumah tangga", 45),
        ("45 houses", 45),
        ("1.200", 1200),
        ("1,200", 1200),
        ("0", 0),
        ("007", 7),
    ],
)
def test_parse_count_accepts_numbers_with_units(text: str, expected: int) -> None:
    """Plain numbers, thousands separators and the usual units are accepted."""
    assert parse_count(text, maximum=5000) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "abc",
        "-3",
        "4.5",
        "1,5",
        "45 ekor",
        "SR 45",
        "4 5",
        "1.20",
        "\u0664\u0665",
        "9" * 50,
    ],
)
def test_parse_count_rejects_what_is_not_a_count(text: str) -> None:
    """Words, negatives, fractions and unknown units are invalid."""
    with pytest.raises(InputError) as caught:
        parse_count(text, maximum=5000)
    assert caught.value == InputError("input-number-invalid")


@pytest.mark.parametrize(
    ("text", "minimum", "maximum"), [("0", 1, 10), ("11", 1, 10), ("5001", 0, 5000)]
)
def test_parse_count_rejects_numbers_out_of_range(text: str, minimum: int, maximum: int) -> None:
    """A number outside the bounds names the bounds for the answer text."""
    with pytest.raises(InputError) as caught:
        parse_count(text, minimum=minimum, maximum=maximum)
    assert caught.value == InputError("input-number-range", {"min": minimum, "max": maximum})


@pytest.mark.parametrize("text", ["1", "10"])
def test_parse_count_bounds_are_inclusive(text: str) -> None:
    """Both bounds themselves are accepted."""
    assert parse_count(text, minimum=1, maximum=10) == int(text)


def test_parse_count_refuses_inverted_bounds() -> None:
    """A minimum above the maximum is a programming error, not bad input."""
    with pytest.raises(ValueError, match="above maximum") as caught:
        parse_count("5", minimum=10, maximum=1)
    assert not isinstance(caught.value, InputError)
