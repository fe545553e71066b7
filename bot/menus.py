"""Each user's main menu and command list: the union of the entries their roles may see.

Every feature declares its own entries (`MenuEntry`); the composition adds them to the bot's
one `Menu` in the order the features are registered. A user sees, in this fixed order:

1. the entries kept for some roles (a member's work, an operator's, …) that one of their roles
   may see, in the order of registration;
2. the entries for everyone (help, language), in the order of registration.

The command list follows the same order; an entry without a label is a command only (`/batal`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from bot.keyboards import Markup, reply_keyboard
from bot.texts import LANGUAGES, Texts
from domain.vocabulary import Role

if TYPE_CHECKING:
    from bot.turn import Turn

Start: TypeAlias = "Callable[[Turn], Awaitable[None]]"
MENU_COLUMNS = 2


@dataclass(frozen=True, kw_only=True)
class MenuEntry:
    """One thing a user can do: its command, its menu button and what pressing it starts."""

    action: str
    command: str
    """The command shown in the command list (without `/`); the feature handles it."""
    description: str
    """Catalogue key of the command's description in the command list."""
    label: str | None = None
    """Catalogue key of the menu button; None for a command that has no button."""
    start: Start | None = None
    """What the menu button starts."""
    roles: frozenset[Role] | None = None
    """The roles that see the entry; None for everyone, with or without a role."""

    def seen_by(self, roles: frozenset[Role]) -> bool:
        return self.roles is None or bool(self.roles & roles)


class Menu:
    """The bot's menu entries, in the documented order."""

    def __init__(self) -> None:
        self._entries: list[MenuEntry] = []

    def add(self, *entries: MenuEntry) -> None:
        """Add a feature's entries; an action or a command may be declared only once."""
        for entry in entries:
            for known in self._entries:
                if entry.action == known.action or entry.command == known.command:
                    raise ValueError(
                        f"menu entry {entry.action!r} (/{entry.command}) repeats "
                        f"the entry {known.action!r} (/{known.command})"
                    )
            if entry.label is not None and entry.start is None:
                raise ValueError(f"menu entry {entry.action!r} has a button that starts nothing")
            self._entries.append(entry)

    def entries_for(self, roles: frozenset[Role]) -> list[MenuEntry]:
        """The entries a user with `roles` sees: their roles' work first, then everyone's."""
        kept = [entry for entry in self._entries if entry.roles is not None]
        common = [entry for entry in self._entries if entry.roles is None]
        return [entry for entry in [*kept, *common] if entry.seen_by(roles)]

    def keyboard(self, texts: Texts, roles: frozenset[Role]) -> Markup:
        """The main menu: the entries' buttons, two to a row."""
        labels = [texts(entry.label) for entry in self.entries_for(roles) if entry.label]
        rows = [labels[i : i + MENU_COLUMNS] for i in range(0, len(labels), MENU_COLUMNS)]
        return reply_keyboard(rows)

    def commands(self, texts: Texts, roles: frozenset[Role]) -> list[dict[str, str]]:
        """The command list for `setMyCommands`."""
        return [
            {"command": entry.command, "description": texts(entry.description)}
            for entry in self.entries_for(roles)
        ]

    def entry_for_command(self, command: str) -> MenuEntry | None:
        """The entry of `/command`, when a feature declares it."""
        return next((entry for entry in self._entries if entry.command == command), None)

    def entry_of(self, text: str) -> MenuEntry | None:
        """The entry whose button reads `text`, in any language (the keyboard may be older)."""
        for entry in self._entries:
            if entry.label is not None and is_label(text, entry.label):
                return entry
        return None


def is_label(text: str, key: str) -> bool:
    """Whether `text` is the button text of catalogue key `key` in one of the languages."""
    return any(text.strip() == Texts(language)(key) for language in LANGUAGES)
