"""What works everywhere: /bantuan, /bahasa, /batal, group chats, and the last-resort answer."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.callbacks import CallbackData, Kind, language_button
from bot.conversation.engine import end
from bot.keyboards import inline
from bot.menus import Action
from bot.runtime import runtime_of
from bot.texts import LANGUAGES, Texts, language_for
from bot.turn import Turn, handler, require_joined
from handlers.joining import send_menu
from handlers.menu import on_menu
from models.outbox import enqueue

log = logging.getLogger(__name__)


@handler
async def show_help(turn: Turn) -> None:
    """Explain what the user can do with their roles."""
    await help_text(turn)


async def help_text(turn: Turn) -> None:
    user = await require_joined(turn)
    if user is not None:
        await send_menu(turn, user, turn.texts("help-text"))


@handler
async def choose_language(turn: Turn) -> None:
    """Offer the languages, or switch at once with `/bahasa en`."""
    message = turn.update.effective_message
    args = (message.text or "").split()[1:] if message else []
    if args and args[0].lower() in LANGUAGES:
        await set_language(turn, args[0].lower())
    else:
        await language_menu(turn)


async def language_menu(turn: Turn) -> None:
    if await require_joined(turn) is None:
        return
    rows = [[(Texts(code)("language-name"), language_button(code)) for code in LANGUAGES]]
    await turn.reply(turn.texts("language-choose"), markup=inline(rows))


@handler
async def press_language(turn: Turn) -> None:
    """Switch to the language of the pressed button."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    language = data.args[0] if data and data.args else ""
    if language not in LANGUAGES:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    await turn.answer_button()
    await set_language(turn, language)


async def set_language(turn: Turn, language: str) -> None:
    user = await require_joined(turn)
    if user is None:
        return
    user.language = language
    turn.use_language(language)
    await send_menu(turn, user, turn.texts("language-set"))


@handler
async def cancel(turn: Turn) -> None:
    """Leave whatever conversation is running."""
    user = await require_joined(turn)
    if user is None:
        return
    ended = await end(turn, status="cancelled")
    await send_menu(turn, user, turn.texts("cancelled" if ended else "nothing-to-cancel"))


@handler
async def refuse_edit(turn: Turn) -> None:
    """Say that edits are not read and how to change an answer; an edit changes nothing.

    Telegram sends edits of any old message, so one may never be taken as an answer, a menu
    label or a command. A live location moving on the map is an edit too, and gets no reply.
    """
    message, chat = turn.update.effective_message, turn.update.effective_chat
    if message is None or chat is None or chat.type != chat.PRIVATE:
        return
    if message.text is not None or message.caption is not None:
        await turn.reply(turn.texts("edit-not-read"))


@handler
async def in_group(turn: Turn) -> None:
    """Say that the bot works in private chats only."""
    await turn.reply(turn.texts("group-not-supported"))


@handler
async def anything_else(turn: Turn) -> None:
    """Answer what no other handler took: a stale button, or a message outside a conversation."""
    if turn.update.callback_query is not None:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    chat = turn.update.effective_chat
    if chat is None or chat.type != "private" or turn.update.effective_message is None:
        return
    await help_text(turn)


async def apologise(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Log the failure first, then tell the user to try again (the update counts as handled)."""
    log.error("handling an update failed", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    runtime = runtime_of(context)
    sender = update.effective_user
    texts = Texts(language_for(sender.language_code if sender else None))
    async with runtime.db.transaction() as session:
        await enqueue(
            session,
            chat_id=update.effective_chat.id,
            method="sendMessage",
            params={
                "chat_id": update.effective_chat.id,
                "text": texts("error-generic"),
                "parse_mode": "HTML",
            },
            now=runtime.clock.now(),
        )
        if update.callback_query is not None:
            await enqueue(
                session,
                chat_id=update.effective_chat.id,
                method="answerCallbackQuery",
                params={"callback_query_id": update.callback_query.id},
                now=runtime.clock.now(),
            )
    runtime.wake_delivery()


def edit_handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [MessageHandler(filters.UpdateType.EDITED, refuse_edit)]


def group_handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, in_group)]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    on_menu(Action.HELP, help_text)
    on_menu(Action.LANGUAGE, language_menu)
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(["bantuan", "help"], show_help, private),
        CommandHandler(["bahasa", "language"], choose_language, private),
        CommandHandler(["batal", "cancel"], cancel, private),
        CallbackQueryHandler(press_language, pattern=rf"^1\|{Kind.LANGUAGE}\|"),
    ]


def fallback_handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [TypeHandler(Update, anything_else)]
