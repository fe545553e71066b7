"""Inline keyboards, button presses, callback answers, edits, and the reply keyboard."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from telesim import Simulator, SimulatorUsageError

if TYPE_CHECKING:
    from tests.telesim.conftest import FakeClock

App = Application[Any, Any, Any, Any, Any, Any]
Polling = Callable[[App], AbstractAsyncContextManager[App]]

CHOICES = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Baik", callback_data="cond:good")],
        [InlineKeyboardButton("Rusak", callback_data="cond:bad")],
    ]
)


async def ask_condition(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for the plant's condition with two buttons."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Kondisi IPAL?", reply_markup=CHOICES)


async def choose_condition(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge the choice and replace the question by the answer."""
    query = update.callback_query
    assert query is not None
    await query.answer("Tercatat")
    await query.edit_message_text(f"Kondisi: <b>{query.data}</b>", parse_mode="HTML")


async def test_pressing_a_button_answers_and_edits(
    sim: Simulator, app: App, polling: Polling
) -> None:
    """The press reaches CallbackQueryHandler; the answer and the edit are visible."""
    app.add_handler(CommandHandler("lapor", ask_condition))
    app.add_handler(CallbackQueryHandler(choose_condition))
    user = sim.add_user("Sri")
    async with polling(app):
        await sim.send_text(user.id, "/lapor")
        [question] = await sim.wait_for_messages(user.id, 1)
        assert question.callback_data() == ["cond:good", "cond:bad"]
        query_id = await sim.press_button(user.id, question.message_id, "cond:bad")
        await sim.wait_for(lambda: question.edited)
    assert sim.callback_answer(query_id) == {
        "text": "Tercatat",
        "show_alert": False,
        "url": None,
        "cache_time": None,
    }
    assert question.text == "Kondisi: cond:bad"
    assert question.entities == [{"type": "bold", "offset": 9, "length": 8}]
    assert question.reply_markup is None  # an edit without reply_markup removes the keyboard
    assert [edit.text for edit in question.edit_history] == ["Kondisi IPAL?"]
    assert sim.violations == []


async def test_pressing_a_button_that_is_not_shown_is_a_test_bug(sim: Simulator, bot: Bot) -> None:
    """Only buttons of the message's current keyboard can be pressed."""
    user = sim.add_user("Sri")
    message = await bot.send_message(user.id, "Kondisi IPAL?", reply_markup=CHOICES)
    with pytest.raises(SimulatorUsageError, match="no button 'cond:gone'"):
        await sim.press_button(user.id, message.message_id, "cond:gone")
    await bot.edit_message_reply_markup(user.id, message.message_id, reply_markup=None)
    with pytest.raises(SimulatorUsageError):
        await sim.press_button(user.id, message.message_id, "cond:good")


async def test_a_second_answer_is_refused_and_recorded(sim: Simulator, bot: Bot) -> None:
    """Telegram accepts one answer per query; the second is a bot bug."""
    user = sim.add_user("Sri")
    message = await bot.send_message(user.id, "Kondisi IPAL?", reply_markup=CHOICES)
    query_id = await sim.press_button(user.id, message.message_id, "cond:good")
    assert await bot.answer_callback_query(query_id, text="ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    assert len(sim.violations) == 1
    assert "answerCallbackQuery" in sim.violations[0]


async def test_an_answer_after_the_deadline_is_refused_but_not_a_bug(
    sim: Simulator, bot: Bot, clock: FakeClock
) -> None:
    """A late answer is a matter of timing, so it is not a violation."""
    user = sim.add_user("Sri")
    message = await bot.send_message(user.id, "Kondisi IPAL?", reply_markup=CHOICES)
    query_id = await sim.press_button(user.id, message.message_id, "cond:good")
    clock.advance(16)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    assert sim.violations == []


@pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])
async def test_invalid_callback_data_is_refused(sim: Simulator, bot: Bot, data: str) -> None:
    """callback_data must be 1-64 bytes of UTF-8."""
    user = sim.add_user("Sri")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(user.id, "x", reply_markup=markup)
    assert sim.messages(user.id) == []
    assert len(sim.violations) == 1


async def test_reply_keyboard_follows_the_messages(sim: Simulator, bot: Bot) -> None:
    """A reply keyboard stays until another replaces it or ReplyKeyboardRemove clears it."""
    user = sim.add_user("Sri")
    assert sim.reply_keyboard(user.id) is None
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Lapor"), KeyboardButton("Sedot")], [KeyboardButton("Bantuan")]]
    )
    await bot.send_message(user.id, "Menu", reply_markup=keyboard)
    await bot.send_message(user.id, "tanpa markup")
    assert sim.reply_keyboard(user.id) == [["Lapor", "Sedot"], ["Bantuan"]]
    await bot.send_message(user.id, "Selesai", reply_markup=ReplyKeyboardRemove())
    assert sim.reply_keyboard(user.id) is None
    assert sim.messages(user.id)[0].reply_markup is None  # Telegram echoes inline markup only
