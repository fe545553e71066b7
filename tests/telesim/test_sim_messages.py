"""Message details: replies, deletion, groups, chats, allowed updates, waiting."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from telegram import Bot, ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler, ContextTypes

from telesim import Simulator

App = Application[Any, Any, Any, Any, Any, Any]
Polling = Callable[[App], AbstractAsyncContextManager[App]]


async def test_a_reply_quotes_the_message_it_answers(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    asked = await sim.send_text(user.id, "Kapan sedot?")
    reply = await bot.send_message(
        user.id, "Besok", reply_parameters=ReplyParameters(asked.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Kapan sedot?"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(user.id, "x", reply_parameters=ReplyParameters(99))


async def test_deleted_messages_leave_the_chat_view(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    sent = await bot.send_message(user.id, "Sebentar…")
    assert await bot.delete_message(user.id, sent.message_id)
    assert sim.messages(user.id) == []
    assert [m.deleted for m in sim.messages(user.id, include_deleted=True)] == [True]
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", user.id, sent.message_id)


async def test_the_bot_cannot_edit_what_the_user_wrote(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    written = await sim.send_text(user.id, "halo")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("diubah", user.id, written.message_id)


async def test_get_chat_describes_users_and_groups(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri", last_name="Wahyuni", username="sri_w")
    group = sim.add_group("KSM Tirta Lestari")
    private = await bot.get_chat(user.id)
    assert (private.type, private.first_name, private.username) == ("private", "Sri", "sri_w")
    assert (await bot.get_chat(group.id)).title == "KSM Tirta Lestari"
    assert group.id < 0


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm a report in the group it came from."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Diterima")


async def test_a_command_addressed_to_the_bot_works_in_a_group(
    sim: Simulator, app: App, polling: Polling
) -> None:
    app.add_handler(CommandHandler("lapor", report))
    user = sim.add_user("Sri")
    group = sim.add_group("KSM Tirta")
    async with polling(app):
        await sim.send_text(user.id, "/lapor@sanimas_sim_bot", chat_id=group.id)
        [reply] = await sim.wait_for_messages(group.id, 1)
    assert reply.text == "Diterima"
    assert reply.reply_to is not None  # PTB quotes in groups
    assert reply.chat["type"] == "group"


async def test_allowed_updates_filters_what_is_delivered(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    await sim.send_text(user.id, "tidak diminta")
    assert await bot.get_updates(timeout=0, allowed_updates=["callback_query"]) == ()
    await sim.send_text(user.id, "diminta")
    [update] = await bot.get_updates(timeout=0, allowed_updates=[])
    assert update.message is not None
    assert update.message.text == "diminta"


async def test_waiting_too_long_says_what_the_chat_holds(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    await bot.send_message(user.id, "satu-satunya")
    with pytest.raises(TimeoutError, match=r"has bot messages \['satu-satunya'\], wanted 2"):
        await sim.wait_for_messages(user.id, 2, timeout=0.05)


async def test_copying_a_report_photo_into_a_group(sim: Simulator, bot: Bot) -> None:
    """copyMessage sends the same media with a new caption and answers a MessageId."""
    user = sim.add_user("Sri")
    group = sim.add_group("Petugas Kapanewon")
    photo = await sim.send_photo(user.id, caption="Pipa bocor", content=b"jpeg")
    copied = await bot.copy_message(
        group.id, user.id, photo.message_id, caption="<b>Laporan</b>", parse_mode="HTML"
    )
    [message] = sim.messages(group.id)
    assert copied.message_id == message.message_id
    assert (message.kind, message.caption) == ("photo", "Laporan")
    assert message.media["photo"] == photo.media["photo"]
