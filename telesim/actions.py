"""What simulated users do: send messages and media, press inline buttons."""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from telesim.errors import SimulatorUsageError
from telesim.files import placeholder_png
from telesim.models import JSON, SimChat, SimMessage, SimUser
from telesim.state import CallbackQuery, SimState

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_VOICE_PLACEHOLDER = b"OggS\x00\x02" + bytes(20)
_STICKER_PLACEHOLDER = b"RIFF\x00\x00\x00\x00WEBPVP8 "


def _sender(state: SimState, user_id: int, chat_id: int | None) -> tuple[SimUser, SimChat]:
    user = state.users.get(user_id)
    if user is None:
        raise SimulatorUsageError(f"unknown user {user_id}: create it with add_user() first")
    chat = state.chats.get(user_id if chat_id is None else chat_id)
    if chat is None:
        raise SimulatorUsageError(f"unknown chat {chat_id}: create it with add_group() first")
    return user, chat


def post(
    state: SimState, user_id: int, chat_id: int | None, kind: str, **fields: Any
) -> SimMessage:
    """Store a user's message and queue its update; writing to a bot unblocks it, as in Telegram."""
    user, chat = _sender(state, user_id, chat_id)
    if chat.is_private:
        state.blocked.discard(user.id)
    message = state.add_message(chat, user, kind, **fields)
    state.updates.push("message", message.to_json())
    return message


def command_entities(text: str) -> list[JSON]:
    """The bot_command entity Telegram adds to a message starting with /command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": match.end()}]


def text_message(state: SimState, user_id: int, text: str, chat_id: int | None) -> SimMessage:
    entities = command_entities(text)
    return post(state, user_id, chat_id, "text", text=text, entities=entities)


def photo_message(
    state: SimState, user_id: int, caption: str | None, content: bytes | None, chat_id: int | None
) -> SimMessage:
    stored = state.files.add(content or placeholder_png(), folder="photos", mime_type="image/jpeg")
    media = {"photo": state.files.photo_sizes(stored)}
    return post(state, user_id, chat_id, "photo", caption=caption, media=media)


def voice_message(state: SimState, user_id: int, duration: int, chat_id: int | None) -> SimMessage:
    stored = state.files.add(_VOICE_PLACEHOLDER, folder="voice", mime_type="audio/ogg")
    voice = {**stored.to_json(), "duration": duration, "mime_type": "audio/ogg"}
    return post(state, user_id, chat_id, "voice", media={"voice": voice})


def sticker_message(state: SimState, user_id: int, emoji: str, chat_id: int | None) -> SimMessage:
    stored = state.files.add(_STICKER_PLACEHOLDER, folder="stickers", mime_type="image/webp")
    sticker = {
        **stored.to_json(),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return post(state, user_id, chat_id, "sticker", media={"sticker": sticker})


def location_message(
    state: SimState, user_id: int, latitude: float, longitude: float, chat_id: int | None
) -> SimMessage:
    location = {"latitude": latitude, "longitude": longitude}
    return post(state, user_id, chat_id, "location", media={"location": location})


def document_message(
    state: SimState,
    user_id: int,
    file_name: str,
    content: bytes,
    caption: str | None,
    chat_id: int | None,
) -> SimMessage:
    mime_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    stored = state.files.add(content, folder="documents", mime_type=mime_type, name=file_name)
    document = {**stored.to_json(), "file_name": file_name, "mime_type": mime_type}
    return post(state, user_id, chat_id, "document", caption=caption, media={"document": document})


def edit_text(
    state: SimState, user_id: int, message_id: int, text: str, chat_id: int | None
) -> SimMessage:
    """Edit one of the user's own text messages; the bot gets an `edited_message` update."""
    user, chat = _sender(state, user_id, chat_id)
    message = state.message(chat.id, message_id)
    if message is None or message.sender.get("id") != user.id or message.text is None:
        raise SimulatorUsageError(f"user {user.id} has no text message {message_id} to edit")
    message.edit_history.append(message.snapshot())
    message.text = text
    message.entities = command_entities(text)
    message.edit_date = state.now()
    state.updates.push("edited_message", message.to_json())
    return message


def bot_membership(state: SimState, user_id: int, chat_id: int | None, old: str, new: str) -> JSON:
    """The user changed the bot's membership of a chat (blocked, unblocked, added, removed):
    the bot gets a `my_chat_member` update, as Telegram sends it."""
    user, chat = _sender(state, user_id, chat_id)
    bot = state.bot.to_json()
    payload: JSON = {
        "chat": chat.to_json(),
        "from": user.to_json(),
        "date": state.now(),
        "old_chat_member": _member(bot, old),
        "new_chat_member": _member(bot, new),
    }
    return state.updates.push("my_chat_member", payload)


def _member(bot: JSON, status: str) -> JSON:
    member: JSON = {"user": bot, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member


def press(
    state: SimState,
    user_id: int,
    message_id: int,
    data: str,
    chat_id: int | None,
    *,
    forged: bool = False,
) -> CallbackQuery:
    """Press a button the bot's message shows now; anything else is a bug in the test.

    `forged` presses `data` on the bot message whatever its buttons, as a modified client can.
    """
    user, chat = _sender(state, user_id, chat_id)
    message = state.message(chat.id, message_id)
    if message is None or not message.from_bot:
        raise SimulatorUsageError(f"no bot message {message_id} in chat {chat.id} to press on")
    if not forged and data not in message.callback_data():
        shown = message.callback_data()
        raise SimulatorUsageError(
            f"message {message_id} in chat {chat.id} has no button {data!r}; it shows {shown}"
        )
    query = state.new_callback(user.id, message, data)
    payload = {
        "id": query.id,
        "from": user.to_json(),
        "message": message.to_json(),
        "chat_instance": str((chat.id * 2654435761) % 2**63),
        "data": data,
    }
    state.updates.push("callback_query", payload)
    return query
