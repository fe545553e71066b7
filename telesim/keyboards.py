"""Validation of reply_markup: inline keyboards, reply keyboards, their removal."""

from __future__ import annotations

import dataclasses
from typing import Any

from telesim.errors import BUTTON_DATA_INVALID, TEXT_BUTTONS_UNALLOWED, bad_request
from telesim.models import JSON

MAX_CALLBACK_DATA_BYTES = 64
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_INVALID = "Bad Request: BUTTON_URL_INVALID"
_INLINE_EXPECTED = "Bad Request: inline keyboard expected"


@dataclasses.dataclass(frozen=True)
class Markup:
    """What a reply_markup does: the inline keyboard echoed in the message, or a keyboard change."""

    inline: JSON | None = None
    keyboard: list[list[str]] | None = None
    remove_keyboard: bool = False


def read_markup(value: Any, *, inline_only: bool = False) -> Markup:
    """Validate a decoded reply_markup; an empty inline keyboard means none."""
    if value is None:
        return Markup()
    if not isinstance(value, dict):
        raise bad_request(BUTTON_DATA_INVALID)
    if "inline_keyboard" in value:
        return Markup(inline=_inline(value["inline_keyboard"]))
    if inline_only:
        raise bad_request(_INLINE_EXPECTED)
    if "keyboard" in value:
        return Markup(keyboard=_reply_rows(value["keyboard"]))
    if value.get("remove_keyboard") is True:
        return Markup(remove_keyboard=True)
    if value.get("force_reply") is True:
        return Markup()
    raise bad_request(BUTTON_DATA_INVALID)


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(BUTTON_DATA_INVALID)
    return value


def _inline(value: Any) -> JSON | None:
    rows = [[_inline_button(button) for button in row] for row in _rows(value)]
    rows = [row for row in rows if row]
    return {"inline_keyboard": rows} if rows else None


def _inline_button(button: Any) -> JSON:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(BUTTON_DATA_INVALID)
    actions = [key for key in _INLINE_ACTIONS if button.get(key) is not None]
    if not actions:
        raise bad_request(TEXT_BUTTONS_UNALLOWED)
    if len(actions) > 1:
        raise bad_request(BUTTON_DATA_INVALID)
    if "callback_data" in actions:
        _check_callback_data(button["callback_data"])
    if "url" in actions:
        _check_url(button["url"])
    return {key: value for key, value in button.items() if value is not None}


def _check_callback_data(data: Any) -> None:
    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request(BUTTON_DATA_INVALID)


def _check_url(url: Any) -> None:
    if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
        raise bad_request(_URL_INVALID)


def _reply_rows(value: Any) -> list[list[str]]:
    rows = [[_reply_text(button) for button in row] for row in _rows(value)]
    return [row for row in rows if row]


def _reply_text(button: Any) -> str:
    text = button.get("text") if isinstance(button, dict) else button
    if not isinstance(text, str) or not text:
        raise bad_request(BUTTON_DATA_INVALID)
    return text
