"""Input to a running conversation: typed text, photos, voice notes, locations and its buttons."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.callbacks import CallbackData, Kind
from bot.conversation.engine import (
    InputKind,
    Reply,
    active_conversation,
    asked_on,
    decode_button,
    is_current,
    proceed,
)
from bot.turn import Turn, handler
from domain.joining import normalise_code
from handlers.common import help_text
from handlers.joining import try_code
from models.conversations import Conversation


@handler
async def take_input(turn: Turn) -> None:
    """Give a message to the running conversation; a stranger's text is an invitation code,
    and so is a code-shaped text of a joined user with no conversation running (a second
    role)."""
    message = turn.update.effective_message
    if message is None:
        return
    if turn.user is None:
        if message.text:
            await try_code(turn, message.text)
        else:
            await turn.reply(turn.texts("join-needed"))
        return
    conversation = await active_conversation(turn)
    if conversation is not None:
        await proceed(turn, conversation, reply_of(message), None)
    elif message.text and normalise_code(message.text):
        await try_code(turn, message.text)
    else:
        await help_text(turn)


@handler
async def press_button(turn: Turn) -> None:
    """Give a pressed button to its conversation, if it belongs to the question now shown."""
    pressed = await pressed_question(turn)
    if pressed is None:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    conversation, value, message = pressed
    await turn.answer_button()
    await proceed(turn, conversation, Reply(InputKind.BUTTON, value=value), message)


async def pressed_question(turn: Turn) -> tuple[Conversation, str, Message] | None:
    """The running conversation, the pressed value and the question's message, when the button
    is one of the question now shown, pressed on that question's own message."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    target = decode_button(data) if data else None
    message = query.message if query and isinstance(query.message, Message) else None
    conversation = await active_conversation(turn)
    if target is None or message is None or conversation is None:
        return None
    if not is_current(conversation, target[0], target[1]):
        return None
    if not await asked_on(turn, conversation, message):
        return None
    return conversation, target[2], message


def reply_of(message: Message) -> Reply:
    """Reduce a message to what a step can take."""
    if message.text is not None:
        return Reply(InputKind.TEXT, text=message.text, html=message.text_html)
    if message.photo:
        largest = message.photo[-1]
        return Reply(
            InputKind.PHOTO,
            text=message.caption,
            html=message.caption_html if message.caption else None,
            file_id=largest.file_id,
            file_unique_id=largest.file_unique_id,
        )
    if message.document is not None:
        return Reply(
            InputKind.DOCUMENT,
            text=message.caption,
            html=message.caption_html if message.caption else None,
            file_id=message.document.file_id,
            file_unique_id=message.document.file_unique_id,
        )
    if message.voice is not None:
        return Reply(
            InputKind.VOICE,
            file_id=message.voice.file_id,
            file_unique_id=message.voice.file_unique_id,
        )
    if message.location is not None:
        return Reply(
            InputKind.LOCATION,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
        )
    return Reply(InputKind.OTHER)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(press_button, pattern=rf"^1\|{Kind.CONVERSATION}\|"),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, take_input),
    ]
