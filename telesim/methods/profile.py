"""The bot and what it knows: getMe, getChat, getFile, the command lists, close, logOut."""

from __future__ import annotations

from typing import Any

from telesim.commands import ScopeKey, read_commands, read_language, scope_type
from telesim.models import JSON
from telesim.params import Params
from telesim.state import Handler, SimState

_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


async def get_me(state: SimState, params: Params) -> JSON:
    return {
        **state.bot.to_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_chat(state: SimState, params: Params) -> JSON:
    chat = state.chat(params.text("chat_id"))
    return {
        **chat.to_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict(_NO_GIFTS),
    }


async def get_file(state: SimState, params: Params) -> JSON:
    stored = state.files.for_download(params.text("file_id") or "")
    return {**stored.to_json(), "file_path": stored.file_path}


def _scope(state: SimState, params: Params) -> tuple[ScopeKey, str]:
    scope: Any = params.obj("scope")
    kind = scope_type(scope)
    chat_id = state.chat(scope.get("chat_id")).id if kind.startswith("chat") else None
    return (kind, chat_id), read_language(params.text("language_code"))


async def set_my_commands(state: SimState, params: Params) -> bool:
    commands = read_commands(params.obj("commands"))
    scope, language = _scope(state, params)
    state.commands.set(scope, language, commands)
    return True


async def get_my_commands(state: SimState, params: Params) -> list[JSON]:
    scope, language = _scope(state, params)
    return [{"command": c, "description": d} for c, d in state.commands.get(scope, language)]


async def delete_my_commands(state: SimState, params: Params) -> bool:
    scope, language = _scope(state, params)
    state.commands.delete(scope, language)
    return True


async def close(state: SimState, params: Params) -> bool:
    return True


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "getChat": get_chat,
    "getFile": get_file,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "close": close,
    "logOut": close,
}
