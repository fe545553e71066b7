"""Tests for domain.money."""

from __future__ import annotations

import pytest

from domain.errors import InputError
from domain.money import MAX_RUPIAH, format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("150,000", 150_000),
        ("1,250,000", 1_250_000),
        ("Rp150.000", 150_000),
        ("Rp 150.000,-", 150_000),
        ("rp. 150.000", 150_000),
        ("RP.150.000", 150_000),
        ("IDR 150000", 150_000),
        ("150.000 rupiah", 150_000),
        ("150 ribu", 150_000),
        ("150rb", 150_000),
        ("150 rb", 150_000),
        ("150k", 150_000),
        ("1,5 juta", 1_500_000),
        ("1.5 juta", 1_500_000),
        ("1,5jt", 1_500_000),
        ("2 jt", 2_000_000),
        ("2,25 juta", 2_250_000),
        ("1,500 juta", 1_500_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("150,00", 150),
        ("0", 0),
        ("Rp 0", 0),
        ("  75.500  ", 75_500),
        ("Rp\u00a0150.000", 150_000),
        ("1.000.000.000", MAX_RUPIAH),
        ("1000 juta", MAX_RUPIAH),
        ("007", 7),
    ],
)
def test_parse_rupiah_accepts_how_members_write_amounts(text: str, expected: int) -> None:
    """Common Indonesian and English ways of writing an amount give whole rupiah."""
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Rp",
        "-150000",
        "Rp -150.000",
        "seratus ribu",
        "150a",
        "abc",
        "1.5.0",
        "1.5.000",
        "150.000.00",
        "1,2345 ribu",
        "1,5",
        "150.50",
        "150,000.00",
        "1,250,000.50",
        "12,34,567",
        "150 000",
        "150 ribu juta",
        "juta",
        "150 dolar",
        "\u0661\u0665\u0660",
        "9" * 100,
    ],
)
def test_parse_rupiah_rejects_what_is_not_whole_rupiah(text: str) -> None:
    """Negatives, words, broken grouping and fractions of a rupiah are invalid."""
    with pytest.raises(InputError) as caught:
        parse_rupiah(text)
    assert caught.value == InputError("input-money-invalid")


@pytest.mark.parametrize("text", ["1.000.000.001", "2000 juta", "1.500 juta", "1" * 30])
def test_parse_rupiah_rejects_amounts_above_one_billion(text: str) -> None:
    """Amounts over Rp1.000.000.000 are too large, not invalid."""
    with pytest.raises(InputError) as caught:
        parse_rupiah(text)
    assert caught.value.key == "input-money-too-large"


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [
        (150_000, "id", "Rp150.000"),
        (1_250_000, "id", "Rp1.250.000"),
        (0, "id", "Rp0"),
        (150_000, "en", "IDR150,000"),
        (1_000_000_000, "en", "IDR1,000,000,000"),
    ],
)
def test_format_rupiah_shows_whole_rupiah_in_the_locale(
    amount: int, locale: str, expected: str
) -> None:
    """The locale's currency pattern, never decimals."""
    assert format_rupiah(amount, locale) == expected


@pytest.mark.parametrize("amount", [0, 5, 999, 150_000, 1_250_000, MAX_RUPIAH])
def test_formatted_indonesian_amount_parses_back(amount: int) -> None:
    """What the bot shows in Indonesian, a member can type back."""
    assert parse_rupiah(format_rupiah(amount, "id")) == amount
