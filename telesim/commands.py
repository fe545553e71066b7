"""Bot command lists by scope and language, resolved the way Telegram clients show them."""

from __future__ import annotations

import re
from typing import Any

from telesim.errors import bad_request

ScopeKey = tuple[str, int | None]
Command = tuple[str, str]

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"(?:[a-z]{2})?")
_SCOPE_TYPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}
MAX_COMMANDS = 100


def read_commands(value: Any) -> list[Command]:
    """Validate setMyCommands' `commands`."""
    if not isinstance(value, list) or len(value) > MAX_COMMANDS:
        raise bad_request("Bad Request: BOT_COMMANDS_TOO_MUCH")
    commands: list[Command] = []
    for item in value:
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("Bad Request: BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append((command, description))
    return commands


def read_language(value: str | None) -> str:
    if not _LANGUAGE.fullmatch(value or ""):
        raise bad_request("Bad Request: invalid language code specified")
    return value or ""


def scope_type(scope: Any) -> str:
    """The scope's type, validated; chat ids of chat scopes are resolved by the caller."""
    if scope is None:
        return "default"
    kind = scope.get("type") if isinstance(scope, dict) else None
    if kind not in _SCOPE_TYPES:
        raise bad_request("Bad Request: invalid scope specified")
    return str(kind)


class CommandStore:
    def __init__(self) -> None:
        self._lists: dict[tuple[ScopeKey, str], list[Command]] = {}

    def set(self, scope: ScopeKey, language: str, commands: list[Command]) -> None:
        if commands:
            self._lists[(scope, language)] = commands
        else:
            self._lists.pop((scope, language), None)

    def get(self, scope: ScopeKey, language: str) -> list[Command]:
        return list(self._lists.get((scope, language), []))

    def delete(self, scope: ScopeKey, language: str) -> None:
        self._lists.pop((scope, language), None)

    def visible(self, chat_id: int | None, private: bool, language: str) -> list[Command]:
        """What a user with `language` sees in the chat: the first non-empty list in
        Telegram's order (chat, then all private/group chats, then default; each first
        with the language, then without)."""
        scopes: list[ScopeKey] = []
        if chat_id is not None:
            kind = "all_private_chats" if private else "all_group_chats"
            scopes = [("chat", chat_id), (kind, None)]
        scopes.append(("default", None))
        for scope in scopes:
            for code in dict.fromkeys((language, "")):
                if (scope, code) in self._lists:
                    return list(self._lists[(scope, code)])
        return []
