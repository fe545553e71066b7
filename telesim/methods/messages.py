"""Sending methods: sendMessage/Photo/Document/Location, copyMessage, sendChatAction."""

from __future__ import annotations

from typing import Any

from telesim.content import read_caption, read_text
from telesim.errors import bad_request
from telesim.keyboards import read_markup
from telesim.models import JSON, SimChat
from telesim.params import Params
from telesim.state import Handler, SimState

_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


def _reply_parameters(params: Params) -> Any:
    legacy = params.integer("reply_to_message_id")
    if legacy is not None:
        return {"message_id": legacy}
    return params.obj("reply_parameters")


def _send(state: SimState, chat: SimChat, params: Params, kind: str, **fields: Any) -> JSON:
    """Validate the common parameters, spend flood budget and store the bot's message."""
    raw_markup = params.obj("reply_markup")
    markup = read_markup(raw_markup)
    reply_to = state.reply_target(chat, _reply_parameters(params))
    state.charge(chat)
    keyboard = None if markup.inline is not None else raw_markup
    message = state.add_message(
        chat,
        state.bot,
        kind,
        reply_markup=markup.inline,
        keyboard=keyboard,
        reply_to=reply_to,
        **fields,
    )
    state.apply_keyboard(chat.id, markup)
    return message.to_json()


async def send_message(state: SimState, params: Params) -> JSON:
    chat = state.reachable_chat(params.text("chat_id"))
    parsed = read_text(params, strict=state.strict_html)
    preview = params.obj("link_preview_options")
    return _send(
        state,
        chat,
        params,
        "text",
        text=parsed.text,
        entities=parsed.entities,
        link_preview_options=preview,
    )


def _caption_fields(state: SimState, params: Params) -> dict[str, Any]:
    caption = read_caption(params, strict=state.strict_html)
    if caption is None:
        return {}
    return {"caption": caption.text, "entities": caption.entities}


def _required_file(params: Params, name: str) -> Any:
    source = params.file(name)
    if not source:
        raise bad_request(f"Bad Request: there is no {name} in the request")
    return source


async def send_photo(state: SimState, params: Params) -> JSON:
    chat = state.reachable_chat(params.text("chat_id"))
    source = _required_file(params, "photo")
    fields = _caption_fields(state, params)
    stored = state.files.resolve(source, folder="photos", mime_type="image/jpeg")
    media = {"photo": state.files.photo_sizes(stored)}
    return _send(state, chat, params, "photo", media=media, **fields)


async def send_document(state: SimState, params: Params) -> JSON:
    chat = state.reachable_chat(params.text("chat_id"))
    source = _required_file(params, "document")
    fields = _caption_fields(state, params)
    stored = state.files.resolve(source, folder="documents", mime_type="application/octet-stream")
    document = {**stored.to_json(), "mime_type": stored.mime_type}
    if stored.file_name:
        document["file_name"] = stored.file_name
    return _send(state, chat, params, "document", media={"document": document}, **fields)


async def send_location(state: SimState, params: Params) -> JSON:
    chat = state.reachable_chat(params.text("chat_id"))
    latitude, longitude = params.number("latitude"), params.number("longitude")
    if latitude is None or not -90 <= latitude <= 90:
        raise bad_request("Bad Request: wrong latitude specified")
    if longitude is None or not -180 <= longitude <= 180:
        raise bad_request("Bad Request: wrong longitude specified")
    location = {"latitude": latitude, "longitude": longitude}
    return _send(state, chat, params, "location", media={"location": location})


async def copy_message(state: SimState, params: Params) -> JSON:
    """Send a copy of a message (no link to the original); the result is a MessageId."""
    chat = state.reachable_chat(params.text("chat_id"))
    source_chat = state.chat(params.text("from_chat_id"))
    source = state.message(source_chat.id, params.integer("message_id"))
    if source is None:
        raise bad_request("Bad Request: message to copy not found")
    fields: dict[str, Any] = {"text": source.text, "entities": list(source.entities)}
    if source.text is None:
        fields = {"caption": source.caption, "entities": list(source.entities)}
        if params.has("caption"):
            fields = {"caption": None, "entities": [], **_caption_fields(state, params)}
    copied = _send(state, chat, params, source.kind, media=dict(source.media), **fields)
    return {"message_id": copied["message_id"]}


async def send_chat_action(state: SimState, params: Params) -> bool:
    state.reachable_chat(params.text("chat_id"))
    if params.text("action") not in _CHAT_ACTIONS:
        raise bad_request("Bad Request: wrong parameter action in request")
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendLocation": send_location,
    "copyMessage": copy_message,
    "sendChatAction": send_chat_action,
}
