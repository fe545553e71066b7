"""What `sanimas` prints, in the language of the terminal that runs it."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from bot.texts import DEFAULT_LANGUAGE, Texts
from domain.errors import TextError

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Read in gettext's order; the first one set decides."""

USAGE_ERROR = 2


def terminal_language(environ: Mapping[str, str]) -> str:
    """English when the terminal's locale is English, otherwise Indonesian (also for `C`)."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").split(":")[0]
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


class Console:
    """Catalogue texts to standard output, problems to standard error as `sanimas: …`."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    def say(self, key: str, /, **params: Any) -> None:
        self.line(self.texts.plain(key, **params))

    def line(self, text: str) -> None:
        print(text, file=sys.stdout, flush=True)

    def problem(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def fail(self, key: str, /, **params: Any) -> int:
        self.problem(f"sanimas: {self.texts.plain(key, **params)}")
        return USAGE_ERROR

    def refuse(self, error: TextError) -> int:
        return self.fail(error.key, **error.params)
