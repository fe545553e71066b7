"""Tests for domain.text."""

from __future__ import annotations

import pytest

from domain.errors import InputError
from domain.text import clean_note


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
