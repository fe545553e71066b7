"""The baseline for `monthly_report.py`: a bare python-telegram-bot Application, nothing else.

Each text gets one sendMessage with a button; each press gets answerCallbackQuery and one
editMessageText. No database, no outbox, no pacing. Configured by the same SANIMAS_TELEGRAM__*
variables as the real bot.
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

NEXT = InlineKeyboardMarkup([[InlineKeyboardButton("Lanjut", callback_data="next")]])


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the text and a button."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(f"echo: {message.text}", reply_markup=NEXT)


async def press(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a press and edit its message."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await query.edit_message_text(f"pressed at update {update.update_id}", reply_markup=NEXT)


def main() -> None:
    no_proxy = {"trust_env": False}
    application = (
        Application.builder()
        .token(os.environ["SANIMAS_TELEGRAM__TOKEN"])
        .base_url(os.environ["SANIMAS_TELEGRAM__BASE_URL"])
        .base_file_url(os.environ["SANIMAS_TELEGRAM__BASE_FILE_URL"])
        .request(HTTPXRequest(connection_pool_size=64, httpx_kwargs=no_proxy))
        .get_updates_request(HTTPXRequest(read_timeout=15.0, httpx_kwargs=no_proxy))
        .concurrent_updates(256)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(press))
    application.run_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
