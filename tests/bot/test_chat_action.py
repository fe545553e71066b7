"""The chat action shown while a file is made: sent at once, repeated, stopped after."""

from __future__ import annotations

import asyncio

from telegram.error import NetworkError

from bot.chat_action import UPLOAD_DOCUMENT, showing

TIMEOUT = 5.0


class FakeBot:
    """Records the actions; `enough` is set once `wanted` have been sent."""

    def __init__(self, wanted: int, *, failing: bool = False) -> None:
        self.calls: list[tuple[int, str]] = []
        self.wanted, self.failing = wanted, failing
        self.enough = asyncio.Event()

    async def send_chat_action(self, chat_id: int, action: str) -> bool:
        self.calls.append((chat_id, action))
        if len(self.calls) >= self.wanted:
            self.enough.set()
        if self.failing:
            raise NetworkError("unreachable")
        return True


async def test_the_action_is_repeated_while_the_work_runs_and_stops_after() -> None:
    """Repeated on its interval (short here); its task is gone once the block is left."""
    bot = FakeBot(3)
    async with showing(bot, 7, UPLOAD_DOCUMENT, every=0.01):
        await asyncio.wait_for(bot.enough.wait(), TIMEOUT)
    assert bot.calls[:3] == [(7, "upload_document")] * 3
    assert [t for t in asyncio.all_tasks() if t.get_name() == "action:7"] == []


async def test_a_failing_action_does_not_disturb_the_work() -> None:
    """A network error is only logged; the action is tried again on its interval."""
    bot = FakeBot(2, failing=True)
    async with showing(bot, 7, UPLOAD_DOCUMENT, every=0.01):
        await asyncio.wait_for(bot.enough.wait(), TIMEOUT)
    assert bot.calls[:2] == [(7, "upload_document")] * 2
