"""Errors that carry a catalogue key instead of a user-facing sentence."""

from __future__ import annotations

from collections.abc import Mapping

Params = dict[str, str | int]


class InputError(ValueError):
    """Bad user input; a handler turns `key` and `params` into a text in the user's language."""

    def __init__(self, key: str, params: Mapping[str, str | int] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.params: Params = dict(params or {})

    def __repr__(self) -> str:
        return f"InputError({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InputError):
            return NotImplemented
        return (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.params.items()))))
