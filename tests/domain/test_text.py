"""Tests for domain.text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InputError
from domain.text import clean_note, cut_utf16, is_blank, utf16_length
from telesim.html import utf16_len

FILLERS = "\u115f\u1160\u3164\uffa0\u2800"
VARIATION_SELECTORS = [chr(c) for c in range(0xFE00, 0xFE10)] + ["\U000e0100", "\U000e01ef"]
invisible = st.one_of(
    st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"]),
    st.sampled_from([*FILLERS, *VARIATION_SELECTORS]),
)
visible = st.characters(categories=["L", "N", "P", "S"]).filter(lambda char: char not in FILLERS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  bau menyengat  ", "bau menyengat"),
        ("pipa   tersumbat\tdi  manhole", "pipa tersumbat di manhole"),
        ("baris satu\nbaris dua", "baris satu\nbaris dua"),
        ("satu\n\n\n\n\ndua", "satu\n\ndua"),
        ("satu  \n  dua", "satu\ndua"),
        ("satu\n \n \n dua", "satu\n\ndua"),
        ("satu\r\ndua\rtiga", "satu\ndua\ntiga"),
        ("bau\x00 \x07busuk", "bau busuk"),
        ("a\u00a0\u2003b", "a b"),
        ("abc\u202edcba", "abcdcba"),
        ("keluarga 👨\u200d👩\u200d👧 senang", "keluarga 👨\u200d👩\u200d👧 senang"),
        ("Cafe\u0301", "Café"),
        ("\n\n  isi  \n\n", "isi"),
    ],
)
def test_clean_note_tidies_whitespace_and_control_characters(text: str, expected: str) -> None:
    """Spaces collapse, at most one blank line stays, control characters go, emoji stay."""
    assert clean_note(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\x00\x01", "\u202e"])
def test_clean_note_rejects_empty_notes(text: str) -> None:
    """Nothing left after cleaning is an empty note."""
    with pytest.raises(InputError) as caught:
        clean_note(text)
    assert caught.value == InputError("input-note-empty")


def test_clean_note_rejects_notes_longer_than_the_maximum() -> None:
    """The limit applies to the cleaned note and is named in the error."""
    with pytest.raises(InputError) as caught:
        clean_note("a" * 11, max_length=10)
    assert caught.value == InputError("input-note-too-long", {"max": 10})


def test_clean_note_measures_length_after_cleaning() -> None:
    """Spaces that cleaning removes do not count towards the limit."""
    assert clean_note("  " + "a    b" + "  ", max_length=3) == "a b"
    assert len(clean_note("a" * 1000)) == 1000


def test_utf16_length_counts_what_telegram_counts() -> None:
    """Letters and BMP symbols count one, an emoji outside the BMP two, a ZWJ family five."""
    assert utf16_length("Selamat pagi") == 12
    assert utf16_length("café ✓") == 6
    assert utf16_length("🚽") == 2
    assert utf16_length("👨\u200d👩\u200d👧") == 8


@given(st.text())
def test_utf16_length_is_the_length_of_the_utf16_encoding(text: str) -> None:
    """Over any text: the count of UTF-16 code units, as the simulator counts them too."""
    assert utf16_length(text) == len(text.encode("utf-16-le")) // 2
    assert utf16_length(text) == utf16_len(text)


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_cut_utf16_keeps_the_longest_prefix_that_fits(text: str, limit: int) -> None:
    """The cut text fits, is the text itself when that fits, and else the longest prefix
    that fits with the ellipsis after it."""
    cut = cut_utf16(text, limit)
    assert utf16_length(cut) <= limit
    if utf16_length(text) <= limit:
        assert cut == text
    elif limit >= 1:
        prefix = cut.removesuffix("…")
        assert cut.endswith("…")
        assert text.startswith(prefix)
        assert utf16_length(text[: len(prefix) + 1]) + 1 > limit
    else:
        assert cut == ""


def test_cut_utf16_never_splits_an_emoji() -> None:
    """A cut that would fall inside an emoji's surrogate pair leaves the whole emoji out."""
    assert cut_utf16("ab🚽cd", 4) == "ab…"
    assert cut_utf16("ab🚽cd", 5) == "ab🚽…"


@given(st.text(invisible))
def test_text_of_only_invisible_characters_is_blank(text: str) -> None:
    """Controls, format and separator characters, marks and fillers alone are blank."""
    assert is_blank(text)
    with pytest.raises(InputError) as caught:
        clean_note(text)
    assert caught.value == InputError("input-note-empty")


@given(st.text(invisible), visible, st.text(invisible))
def test_one_letter_number_punctuation_or_symbol_is_enough(
    before: str, char: str, after: str
) -> None:
    """One visible character among any invisible ones makes a text, and a note, not blank."""
    assert unicodedata.category(char)[0] in "LNPS"
    assert not is_blank(before + char + after)
    assert not is_blank(clean_note(before + char + after, max_length=10_000))


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200e\u200f", "\ufeff\u2060", "\u3164\u2800", "\u0301", "\ufe0f"]
)
def test_invisible_notes_are_empty(text: str) -> None:
    """The invisible texts members sent as notes are empty notes."""
    with pytest.raises(InputError) as caught:
        clean_note(text)
    assert caught.value == InputError("input-note-empty")
