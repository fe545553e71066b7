"""Catalogues of user-visible texts, one JSON file per language; user input is escaped here,
and only here is text marked safe HTML."""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, Self

from babel import Locale

from domain.errors import TextError
from domain.text import utf16_length

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

Entry = str | dict[str, str]
_TAG = re.compile(r"<[^>]+>")


class Html(str):
    """Text that is safe HTML. It cannot be made from a raw string (`Html("<b>")` raises): the
    only ways to one are rendering a catalogue text (`Texts.__call__`), `escape` and `join`."""

    __slots__ = ()

    def __new__(cls, text: str, *, seal: _Seal) -> Self:
        if seal is not _SEAL:
            raise TypeError("Html comes from a catalogue text, escape() or join(), never a str")
        return super().__new__(cls, text)

    def __reduce__(self) -> tuple[Callable[[str], Html], tuple[str]]:
        return _sealed, (str(self),)


class _Seal:
    """Held only by this module, so that nothing else can call a raw string safe."""


_SEAL = _Seal()


def _sealed(text: str) -> Html:
    return Html(text, seal=_SEAL)


def escape(value: object) -> Html:
    """`value` as safe HTML: an `Html` as it is, anything else escaped."""
    if isinstance(value, Html):
        return value
    return _sealed(html.escape(str(value), quote=False))


def join(parts: Iterable[Html], separator: str = "\n") -> Html:
    """Safe texts as one, `separator` between them (anything else in `parts` is escaped)."""
    return _sealed(escape(separator).join(escape(part) for part in parts))


_ALLOWED_TAG = re.compile(
    r"</?(b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote|tg-spoiler)>"
    r'|<a href="[^"<>]*">|</a>|<span class="tg-spoiler">|</span>'
    r'|<code class="language-[\w+-]+">|<blockquote expandable>|<tg-emoji emoji-id="\d+">'
    r"|</tg-emoji>"
)


class UnsafeHtmlError(TextError):
    """Stored formatting holds a tag Telegram's own entities never produce."""


def telegram_html(value: str) -> Html:
    """A message's formatting as Telegram's entities made it (python-telegram-bot's
    `Message.text_html`), kept as its author wrote it; any other tag is refused."""
    for tag in _TAG.findall(value):
        if not _ALLOWED_TAG.fullmatch(tag):
            raise UnsafeHtmlError("error-generic", {"tag": tag})
    return _sealed(value)


EMPTY = _sealed("")
"""A blank line among lines of a summary."""


def plain_text(text: Html) -> str:
    """The text as Telegram shows it: tags removed, entities undone."""
    return html.unescape(_TAG.sub("", text))


def visible_length(text: Html) -> int:
    """What Telegram counts of an HTML text: UTF-16 units, tags removed, entities as one."""
    return utf16_length(plain_text(text))


def language_for(telegram_language: str | None) -> str:
    """The catalogue language for a new user: English when Telegram says so, else Indonesian."""
    return "en" if (telegram_language or "").lower().startswith("en") else DEFAULT_LANGUAGE


@cache
def catalogue(language: str) -> dict[str, Entry]:
    """All `locales/<language>/*.json` files of the package as one catalogue (keys unique)."""
    entries: dict[str, Entry] = {}
    folder = resources.files("bot") / "locales" / language
    for source in sorted(folder.iterdir(), key=lambda item: item.name):
        if not source.name.endswith(".json"):
            continue
        part: dict[str, Entry] = json.loads(source.read_text(encoding="utf-8"))
        twice = entries.keys() & part.keys()
        if twice:
            raise ValueError(f"{language}/{source.name} repeats text keys {sorted(twice)}")
        entries.update(part)
    return entries


def placeholders(entry: Entry) -> set[str]:
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


class Texts:
    """The catalogue of one language: `texts("key", name=value)` renders escaped HTML."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._entries = catalogue(self.language)
        self._locale = Locale.parse(self.language)

    def __call__(self, key: str, /, **params: Any) -> Html:
        safe = {name: escape(value) for name, value in params.items()}
        return _sealed(self._form(key, params).format(**safe))

    def plain(self, key: str, /, **params: Any) -> str:
        """The text for a terminal: the same entry, the values left as they are."""
        return self._form(key, params).format(**params)

    def error(self, error: TextError) -> str:
        """A `TextError` told as plain text."""
        return self.plain(error.key, **error.params)

    def has(self, key: str) -> bool:
        return key in self._entries

    def _form(self, key: str, params: dict[str, Any]) -> str:
        entry = self._entries.get(key)
        if entry is None:
            raise KeyError(f"text {key!r} is not in the {self.language} catalogue")
        if isinstance(entry, dict):
            return entry.get(self._plural_form(params.get("count", 0)), entry["other"])
        return entry

    def _plural_form(self, count: object) -> str:
        return str(self._locale.plural_form(count)) if isinstance(count, int) else "other"
