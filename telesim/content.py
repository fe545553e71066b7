"""Text and captions of outgoing messages: parse mode, entities and Telegram's length limits."""

from __future__ import annotations

from typing import Any

from telesim.errors import (
    CAPTION_TOO_LONG,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    UNSUPPORTED_PARSE_MODE,
    bad_request,
)
from telesim.html import ParsedText, parse_html, utf16_len
from telesim.params import Params

MAX_TEXT = 4096
MAX_CAPTION = 1024


def _formatted(raw: str, parse_mode: str | None, entities: Any, strict: bool) -> ParsedText:
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(raw, strict=strict)
    if mode:
        raise bad_request(UNSUPPORTED_PARSE_MODE)
    return ParsedText(raw, list(entities) if isinstance(entities, list) else [])


def read_text(params: Params, *, strict: bool) -> ParsedText:
    """The `text` of sendMessage / editMessageText after entity parsing."""
    raw = params.text("text") or ""
    parsed = _formatted(raw, params.text("parse_mode"), params.obj("entities"), strict)
    if not parsed.text.strip():
        raise bad_request(TEXT_EMPTY)
    if utf16_len(parsed.text) > MAX_TEXT:
        raise bad_request(TEXT_TOO_LONG)
    return parsed


def read_caption(params: Params, *, strict: bool) -> ParsedText | None:
    """The optional `caption` of media messages after entity parsing."""
    raw = params.text("caption")
    if raw is None:
        return None
    parsed = _formatted(raw, params.text("parse_mode"), params.obj("caption_entities"), strict)
    if utf16_len(parsed.text) > MAX_CAPTION:
        raise bad_request(CAPTION_TOO_LONG)
    return parsed if parsed.text else None
