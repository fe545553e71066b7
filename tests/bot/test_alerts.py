"""The parts of an alert that must fit Telegram's limits."""

from __future__ import annotations

import pytest

from bot.alerts import shorten
from domain.text import utf16_length


@pytest.mark.parametrize(
    ("note", "limit", "expected"),
    [
        ("bau menyengat", None, "bau menyengat"),
        ("bau menyengat", 13, "bau menyengat"),
        ("bau menyengat", 8, "bau men…"),
        ("bau menyengat", 0, ""),
        ("💩💩💩 bau", 4, "💩…"),
    ],
)
def test_shorten_cuts_notes_in_utf16_units(note: str, limit: int | None, expected: str) -> None:
    """A note is cut to the caption budget as Telegram counts it: an emoji counts two."""
    assert shorten(note, limit) == expected


def test_a_note_of_emoji_stays_within_its_caption_budget() -> None:
    """300 UTF-16 units of the caption are the note's at most, whatever the note holds."""
    assert utf16_length(shorten("🚽" * 1000, 300)) <= 300
