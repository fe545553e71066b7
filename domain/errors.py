"""Errors that carry a catalogue key instead of a sentence, told in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

Params = dict[str, str | int]


class TextError(Exception):
    """A problem to tell a person: `key` and `params` become a text of their catalogue."""

    def __init__(self, key: str, params: Mapping[str, str | int] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.params: Params = dict(params or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TextError):
            return NotImplemented
        return (type(self), self.key, self.params) == (type(other), other.key, other.params)

    def __hash__(self) -> int:
        return hash((type(self), self.key, tuple(sorted(self.params.items()))))


class InputError(TextError, ValueError):
    """Bad input from a chat, a file or the command line."""
