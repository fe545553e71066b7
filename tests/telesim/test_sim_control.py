"""The HTTP control API through SimulatorClient, as a driver in another process uses it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from telesim import Simulator, SimulatorClient, SimulatorUsageError


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[SimulatorClient]:
    async with SimulatorClient(sim.origin, token=sim.token) as remote:
        yield remote


async def test_a_remote_driver_acts_and_reads_back(
    sim: Simulator, bot: Bot, client: SimulatorClient
) -> None:
    user = await client.add_user("Sri", username="sri_w")
    sent = await client.send_text(user.id, "/start")
    assert sent.text == "/start"
    assert sent.entities == [{"type": "bot_command", "offset": 0, "length": 6}]
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
    await bot.send_message(user.id, "Lanjut?", reply_markup=markup)
    [question] = await client.wait_for_messages(user.id, 1, timeout=5)
    assert question.callback_data() == ["yes"]
    query_id = await client.press_button(user.id, question.message_id, "yes")
    assert await bot.answer_callback_query(query_id, text="Oke")
    answer = await client.callback_answer(query_id)
    assert answer is not None
    assert answer["text"] == "Oke"
    assert [m.text for m in await client.chat_log(user.id)] == ["/start", "Lanjut?"]
    assert await client.violations() == []


async def test_a_remote_test_bug_raises_in_the_driver(client: SimulatorClient) -> None:
    user = await client.add_user("Sri")
    with pytest.raises(SimulatorUsageError, match="no bot message 5"):
        await client.press_button(user.id, 5, "yes")
    with pytest.raises(TimeoutError):
        await client.wait_for_messages(user.id, 1, timeout=0.05)
