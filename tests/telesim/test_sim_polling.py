"""Receiving updates by long polling, as PTB's Updater does it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from telesim import Simulator

App = Application[Any, Any, Any, Any, Any, Any]
Polling = Callable[[App], AbstractAsyncContextManager[App]]
MakeBot = Callable[[str | None], Bot]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the same text back."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, naming the deep-link argument."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"start {' '.join(context.args or [])}")


async def test_echo_reaches_the_user_through_polling(
    sim: Simulator, app: App, polling: Polling
) -> None:
    """A text the user sends comes back through getUpdates and sendMessage."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    user = sim.add_user("Sri")
    async with polling(app):
        sent = await sim.send_text(user.id, "halo <b>")
        [reply] = await sim.wait_for_messages(user.id, 1)
    assert reply.text == "halo <b>"
    assert reply.kind == "text"
    assert reply.message_id == sent.message_id + 1
    assert [m.text for m in sim.chat_log(user.id)] == ["halo <b>", "halo <b>"]
    assert sim.violations == []


async def test_command_handler_sees_the_command_and_its_arguments(
    sim: Simulator, app: App, polling: Polling
) -> None:
    """ "/start ipal_12" carries a bot_command entity, so CommandHandler fires with args."""
    app.add_handler(CommandHandler("start", start))
    user = sim.add_user("Budi")
    async with polling(app):
        await sim.send_text(user.id, "/start ipal_12")
        [reply] = await sim.wait_for_messages(user.id, 1)
    assert reply.text == "start ipal_12"


async def test_an_unconfirmed_update_is_delivered_again(sim: Simulator, bot: Bot) -> None:
    """Only an offset above an update's id confirms it."""
    user = sim.add_user("Sri")
    await sim.send_text(user.id, "satu")
    first = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first]
    await sim.send_text(user.id, "dua")
    rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest if u.message] == ["dua"]


async def test_long_poll_returns_as_soon_as_an_update_arrives(sim: Simulator, bot: Bot) -> None:
    """A waiting getUpdates answers on the first new update, long before its timeout."""
    user = sim.add_user("Sri")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await sim.wait_for(lambda: sim.polling)
    await sim.send_text(user.id, "halo")
    async with asyncio.timeout(5):
        updates = await poll
    assert [u.message.text for u in updates if u.message] == ["halo"]


async def test_a_second_getupdates_ends_the_first_with_conflict(
    sim: Simulator, bot: Bot, make_bot: MakeBot
) -> None:
    """Two pollers of one token: the older request gets 409, as Telegram answers it."""
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await sim.wait_for(lambda: sim.polling)
    async with make_bot(None) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_getupdates_is_refused_while_a_webhook_is_set(sim: Simulator, bot: Bot) -> None:
    """With a webhook set, polling is a conflict until deleteWebhook."""
    await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()
