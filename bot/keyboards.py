"""Bot API reply markups as plain JSON, ready to be stored in the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Markup = dict[str, Any]
InlineRows = Sequence[Sequence[tuple[str, str]]]
"""Rows of (label, callback data)."""


def inline(rows: InlineRows) -> Markup:
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in rows if row
        ]
    }


def reply_keyboard(rows: Sequence[Sequence[str]], *, one_time: bool = False) -> Markup:
    return {
        "keyboard": [[{"text": label} for label in row] for row in rows if row],
        "resize_keyboard": True,
        "is_persistent": not one_time,
        "one_time_keyboard": one_time,
    }


def location_keyboard(share_label: str, other_labels: list[str]) -> Markup:
    """A one-time keyboard whose first button shares the phone's location."""
    return {
        "keyboard": [
            [{"text": share_label, "request_location": True}],
            *[[{"text": label}] for label in other_labels],
        ],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


REMOVE_KEYBOARD: Markup = {"remove_keyboard": True}
EMPTY_INLINE: Markup = {"inline_keyboard": []}
