"""Free text members type (notes on reports, problems and requests), and text lengths as
Telegram counts them: in UTF-16 code units, so an emoji outside the BMP counts two."""

from __future__ import annotations

import re
import unicodedata

from domain.errors import InputError

_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BMP_END = 0xFFFF

TEXT_LIMIT = 4096
"""UTF-16 code units a message text may have after entity parsing."""
CAPTION_LIMIT = 1024
"""UTF-16 code units a media caption may have after entity parsing."""


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text) + sum(1 for char in text if ord(char) > _BMP_END)


def cut_utf16(text: str, limit: int, *, mark: str = "…") -> str:
    """`text` when it fits in `limit` UTF-16 units; else its longest prefix that fits with
    `mark` after it (nothing at all when not even the mark fits)."""
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(mark)
    if budget < 0:
        return ""
    used = end = 0
    for char in text:
        used += 2 if ord(char) > _BMP_END else 1
        if used > budget:
            break
        end += 1
    return text[:end] + mark


_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Hangul fillers and the blank braille pattern: letters and symbols by category, but blank."""
_VISIBLE_CATEGORIES = frozenset("LNPS")


def is_blank(text: str) -> bool:
    """Whether the text shows nothing a reader could take for an answer.

    Only letters, numbers, punctuation and symbols count (Unicode categories L, N, P, S),
    and not the fillers that look like a blank. Control, format and separator characters,
    variation selectors and combining marks without a letter to mark are all blank.
    """
    return not any(
        unicodedata.category(char)[0] in _VISIBLE_CATEGORIES and char not in _FILLERS
        for char in text
    )


def clean_note(text: str, *, max_length: int = 1000) -> str:
    """The note tidied for storage: no control characters, single spaces, one blank line at most.

    Raises InputError("input-note-empty") when nothing visible is left (see `is_blank`) and
    InputError("input-note-too-long", {"max": max_length}) when the tidy note is still too long.
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = "".join(char for char in text if char.isspace() or not _is_control(char))
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if is_blank(cleaned):
        raise InputError("input-note-empty")
    if len(cleaned) > max_length:
        raise InputError("input-note-too-long", {"max": max_length})
    return cleaned


def _is_control(char: str) -> bool:
    """Control characters, lone surrogates and text-direction overrides (which can spoof text).

    Other format characters stay: the zero-width joiner holds emoji sequences together.
    """
    return char in _BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs"}
