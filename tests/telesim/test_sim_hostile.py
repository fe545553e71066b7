"""What careless and hostile users do: edit old messages, forge buttons, block the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup

from telesim import Simulator, SimulatorClient, SimulatorUsageError


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[SimulatorClient]:
    async with SimulatorClient(sim.origin, token=sim.token) as remote:
        yield remote


async def test_an_edit_arrives_as_edited_message(
    sim: Simulator, bot: Bot, client: SimulatorClient
) -> None:
    """The edited text comes as an `edited_message` with the same id and an edit date."""
    user = await client.add_user("Sri")
    sent = await client.send_text(user.id, "45")
    edited = await client.edit_text(user.id, sent.message_id, "30")
    assert (edited.text, [edit.text for edit in edited.edit_history]) == ("30", ["45"])
    first, second = await bot.get_updates(timeout=0)
    assert first.message is not None and first.message.text == "45"
    assert second.edited_message is not None
    assert (second.edited_message.text, second.edited_message.message_id) == ("30", 1)
    assert second.edited_message.edit_date is not None
    with pytest.raises(SimulatorUsageError, match="no text message 7"):
        await client.edit_text(user.id, 7, "x")


async def test_a_forged_press_carries_any_data(
    sim: Simulator, bot: Bot, client: SimulatorClient
) -> None:
    """A forged press reaches the bot with data the message never showed; a plain one can't."""
    user = await client.add_user("Sri")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
    message = await bot.send_message(user.id, "Lanjut?", reply_markup=markup)
    with pytest.raises(SimulatorUsageError, match="has no button"):
        await client.press_button(user.id, message.message_id, "1|c|9|9|x")
    await client.press_button(user.id, message.message_id, "1|c|9|9|x", forged=True)
    [update] = await bot.get_updates(timeout=0)
    assert update.callback_query is not None
    assert update.callback_query.data == "1|c|9|9|x"


async def test_blocking_and_group_changes_send_my_chat_member(
    sim: Simulator, bot: Bot, client: SimulatorClient
) -> None:
    """Blocking, unblocking and adding the bot to a group each send `my_chat_member`."""
    user = await client.add_user("Sri")
    group = await client.add_group("KSM")
    await client.block_bot(user.id)
    await client.block_bot(user.id)
    await client.unblock_bot(user.id)
    await client.set_bot_membership(user.id, group.id, "left", "member")
    updates = await bot.get_updates(timeout=0)
    changes = [
        (u.my_chat_member.chat.id, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member is not None
    ]
    assert changes == [
        (user.id, ChatMember.BANNED),
        (user.id, ChatMember.MEMBER),
        (group.id, ChatMember.MEMBER),
    ]
