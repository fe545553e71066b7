"""Changing sent messages: editMessageText/Caption/ReplyMarkup and deleteMessage."""

from __future__ import annotations

from typing import Any

from telesim.content import read_caption, read_text
from telesim.errors import (
    CANT_BE_DELETED,
    CANT_BE_EDITED,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    NO_CAPTION_TO_EDIT,
    NO_TEXT_TO_EDIT,
    NOT_MODIFIED,
    bad_request,
)
from telesim.keyboards import read_markup
from telesim.models import JSON, SimMessage
from telesim.params import Params
from telesim.state import Handler, SimState


def _editable(state: SimState, params: Params) -> SimMessage:
    """The bot message a call edits (inline messages are not simulated)."""
    if params.has("inline_message_id") or not params.has("chat_id"):
        raise bad_request(EDIT_NOT_FOUND)
    chat = state.reachable_chat(params.text("chat_id"))
    message = state.message(chat.id, params.integer("message_id"))
    if message is None:
        raise bad_request(EDIT_NOT_FOUND)
    if not message.from_bot:
        raise bad_request(CANT_BE_EDITED)
    return message


def _apply(state: SimState, message: SimMessage, **changes: Any) -> JSON:
    """Refuse an edit that changes nothing; otherwise spend budget and record the edit."""
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    state.charge(state.chat(message.chat_id))
    message.edit_history.append(message.snapshot())
    for key, value in changes.items():
        setattr(message, key, value)
    message.edit_date = state.now()
    return message.to_json()


async def edit_message_text(state: SimState, params: Params) -> JSON:
    message = _editable(state, params)
    if message.text is None:
        raise bad_request(NO_TEXT_TO_EDIT)
    parsed = read_text(params, strict=state.strict_html)
    markup = read_markup(params.obj("reply_markup"), inline_only=True)
    return _apply(
        state, message, text=parsed.text, entities=parsed.entities, reply_markup=markup.inline
    )


async def edit_message_caption(state: SimState, params: Params) -> JSON:
    message = _editable(state, params)
    if message.text is not None:
        raise bad_request(NO_CAPTION_TO_EDIT)
    caption = read_caption(params, strict=state.strict_html)
    markup = read_markup(params.obj("reply_markup"), inline_only=True)
    return _apply(
        state,
        message,
        caption=caption.text if caption else None,
        entities=caption.entities if caption else [],
        reply_markup=markup.inline,
    )


async def edit_message_reply_markup(state: SimState, params: Params) -> JSON:
    message = _editable(state, params)
    markup = read_markup(params.obj("reply_markup"), inline_only=True)
    return _apply(state, message, reply_markup=markup.inline)


async def delete_message(state: SimState, params: Params) -> bool:
    chat = state.chat(params.text("chat_id"))
    message = state.message(chat.id, params.integer("message_id"))
    if message is None:
        raise bad_request(DELETE_NOT_FOUND)
    if not chat.is_private and not message.from_bot:
        raise bad_request(CANT_BE_DELETED)
    message.deleted = True
    return True


HANDLERS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
}
