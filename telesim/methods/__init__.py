"""The Bot API methods the simulator implements, found by case-insensitive name."""

from __future__ import annotations

from telesim.methods import callbacks, editing, messages, profile, updates
from telesim.state import Handler

_ALL: dict[str, Handler] = {
    **messages.HANDLERS,
    **editing.HANDLERS,
    **callbacks.HANDLERS,
    **profile.HANDLERS,
    **updates.HANDLERS,
}
_BY_LOWER = {name.lower(): (name, handler) for name, handler in _ALL.items()}


def find_method(name: str) -> tuple[str, Handler] | None:
    """The canonical name and handler of a method (Bot API names ignore case)."""
    return _BY_LOWER.get(name.lower())


__all__ = ["find_method"]
