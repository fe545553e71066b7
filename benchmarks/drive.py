"""Simulated users acting at once against a bot process, and the latency of its answers."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from models.database import Database
from models.outbox import OutboxMessage, OutboxStatus
from telesim import Simulator

WAIT_TIMEOUT = 120.0
POLL_SECONDS = 0.01
WATCH_SECONDS = 0.02
OUTPUT_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


@dataclass(frozen=True)
class Action:
    chat_id: int
    kind: str
    """text or press"""
    at: float
    """When the simulator queued the update (the simulator's monotonic clock)."""


class OutboxWatch:
    """The chats with undelivered outbox rows, re-read from the bot's database continuously."""

    def __init__(self, url: str, schema: str | None) -> None:
        self._db = Database(url, schema_name=schema)
        self.busy: frozenset[int] = frozenset()
        self.read_at = 0.0
        """When the last completed read started."""
        self._fresh = asyncio.Event()

    async def run(self) -> None:
        try:
            while True:
                started = time.monotonic()
                async with self._db.transaction() as session:
                    rows = await session.scalars(
                        select(OutboxMessage.chat_id)
                        .where(OutboxMessage.status == OutboxStatus.PENDING)
                        .distinct()
                    )
                    self.busy = frozenset(rows)
                self.read_at = started
                self._fresh.set()
                await asyncio.sleep(WATCH_SECONDS)
        finally:
            await self._db.dispose()

    async def drained(self, since: float) -> None:
        """Wait until a read that started after `since` found no undelivered row at all."""
        while not (self.read_at > since and not self.busy):
            self._fresh.clear()
            await self._fresh.wait()

    def delivered(self, chat_id: int, since: float) -> bool:
        """Whether a read that started after `since` found nothing waiting for the chat."""
        return self.read_at > since and chat_id not in self.busy


@dataclass
class Driver:
    """Acts as users and waits until the bot has answered each action completely."""

    sim: Simulator
    watch: OutboxWatch | None
    """None: every action has exactly one answer (the echo bot)."""
    think: float = 0.0
    actions: list[Action] = field(default_factory=list)

    def outputs(self, chat_id: int) -> int:
        """Messages and edits the bot has made in the chat so far."""
        return sum(1 + len(message.edit_history) for message in self.sim.messages(chat_id))

    async def say(self, chat_id: int, text: str) -> None:
        await self._act(chat_id, "text", lambda: self.sim.send_text(chat_id, text))

    async def press(self, chat_id: int, message_id: int, data: str) -> None:
        await self._act(chat_id, "press", lambda: self.sim.press_button(chat_id, message_id, data))

    async def _act(self, chat_id: int, kind: str, send: Callable[[], Awaitable[object]]) -> None:
        if self.think:
            await asyncio.sleep(self.think)
        before = self.outputs(chat_id)
        at = time.monotonic()
        await send()
        self.actions.append(Action(chat_id, kind, at))
        await self._until(lambda: self.outputs(chat_id) > before)
        if self.watch is not None:
            answered = time.monotonic()
            watch = self.watch
            await self._until(lambda: watch.delivered(chat_id, answered))

    async def _until(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT_TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer within {WAIT_TIMEOUT:g} s")
            await asyncio.sleep(POLL_SECONDS)


def latencies(sim: Simulator, actions: list[Action]) -> list[float]:
    """Seconds from each action to the bot's next message or edit in that chat."""
    outputs: dict[int, list[float]] = defaultdict(list)
    for call in sim.calls:
        if call.method in OUTPUT_METHODS and call.status == 200 and call.chat_id is not None:
            outputs[call.chat_id].append(call.time)
    found = []
    for action in actions:
        times = outputs[action.chat_id]
        index = bisect.bisect_right(times, action.at)
        if index < len(times):
            found.append(times[index] - action.at)
    return found
