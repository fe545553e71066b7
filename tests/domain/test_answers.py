"""Tests for domain.answers: what members type instead of pressing buttons."""

from __future__ import annotations

import pytest

from domain.answers import (
    NONE_WORDS,
    is_one_of,
    match_option,
    match_options,
    normalise_answer,
    parse_coordinates,
    parse_yes_no,
)
from domain.errors import InputError

CONDITIONS = ["✅ Berfungsi baik", "⚠️ Berfungsi, ada masalah", "⛔ Tidak berfungsi"]
KINDS = ["Bau", "Meluap / bocor", "Pipa / bak kontrol mampet", "Lumpur penuh", "Lainnya"]


def test_normalise_drops_emoji_punctuation_and_case() -> None:
    """Only letters, digits and single spaces remain."""
    assert normalise_answer("  ✅ Berfungsi,   BAIK! ") == "berfungsi baik"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ya", True),
        ("Iya", True),
        ("yes", True),
        ("sudah", True),
        ("tidak", False),
        ("Tdk", False),
        ("belum", False),
        ("no", False),
        ("mungkin", None),
        ("", None),
    ],
)
def test_yes_and_no(text: str, expected: bool | None) -> None:
    """Common ways of saying yes and no in both languages."""
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("berfungsi baik", 0),
        ("BAIK", 0),
        ("2", 1),
        ("ada masalah", 1),
        ("tidak berfungsi", 2),
        ("berfungsi", None),
        ("4", None),
        ("0", None),
        ("ba", None),
        ("rusak", None),
    ],
)
def test_one_option_by_label_number_or_unique_part(text: str, expected: int | None) -> None:
    """The whole label, its number, or words only one label contains."""
    assert match_option(text, CONDITIONS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bau, mampet", [0, 2]),
        ("1 dan 4", [0, 3]),
        ("lumpur penuh; bau", [0, 3]),
        ("bau, banjir", None),
        ("", None),
    ],
)
def test_several_options_typed_as_a_list(text: str, expected: list[int] | None) -> None:
    """Commas, semicolons and `dan` separate options; one unknown part spoils the list."""
    assert match_options(text, KINDS) == expected


def test_overlong_answers_match_nothing() -> None:
    """5,000 characters are never an option."""
    assert match_option("bau " * 1250, KINDS) is None
    assert match_options("bau," * 1250, KINDS) is None


def test_word_lists_match_typed_variants() -> None:
    """`-` and `Tidak ada.` both mean none."""
    assert is_one_of("-", NONE_WORDS)
    assert is_one_of("Tidak ada.", NONE_WORDS)
    assert not is_one_of("tidak ada air", NONE_WORDS)


def test_coordinates() -> None:
    """Latitude and longitude typed with a comma or a space."""
    assert parse_coordinates("-7.857, 110.158") == (-7.857, 110.158)
    assert parse_coordinates("-7.857 110.158") == (-7.857, 110.158)
    for text in ("95, 110", "-7.8, 200", "di sini", "1" * 300):
        with pytest.raises(InputError):
            parse_coordinates(text)
