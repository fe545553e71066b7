"""The outbox worker on a fake monotonic source: a chat's lock-out tested without waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import ManualClock
from bot.settings import OutboxSettings, TelegramSettings
from bot.transport.api import build_bot
from bot.transport.delivery import OutboxWorker
from models.database import Database
from models.outbox import OutboxMessage, OutboxStatus, enqueue
from telesim import Simulator, SimUser
from tests.conftest import START

RETRY_AFTER = 30
WAIT_TIMEOUT = 10.0


class FakeMonotonic:
    """A monotonic source that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0  # any start: only differences count

    def __call__(self) -> float:
        return self.now


@dataclass
class Delivery:
    sim: Simulator
    database: Database
    worker: OutboxWorker
    clock: ManualClock
    monotonic: FakeMonotonic

    async def queue(self, user: SimUser, text: str) -> int:
        async with self.database.transaction() as session:
            row = await enqueue(
                session,
                chat_id=user.id,
                method="sendMessage",
                params={"chat_id": user.id, "text": text},
                now=self.clock.now(),
            )
            assert row is not None
        self.worker.wake()
        return row.id

    def advance(self, seconds: float) -> None:
        """Move both the wall clock and the monotonic source, and let the worker look."""
        self.clock.advance(timedelta(seconds=seconds))
        self.monotonic.now += seconds
        self.worker.wake()

    async def row(self, row_id: int) -> OutboxMessage:
        async with self.database.transaction() as session:
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == row_id))
            assert row is not None
            return row


@pytest.fixture
async def delivery(simulator: Simulator, database: Database) -> AsyncIterator[Delivery]:
    """The outbox worker alone, on a standing wall clock and a fake monotonic source."""
    clock, monotonic = ManualClock(START), FakeMonotonic()
    telegram = TelegramSettings(
        token=SecretStr(simulator.token),
        base_url=simulator.base_url,
        base_file_url=simulator.base_file_url,
    )
    async with build_bot(telegram) as bot:
        worker = OutboxWorker(
            database=database,
            bot=bot,
            clock=clock,
            settings=OutboxSettings(),
            monotonic=monotonic,
        )
        task = asyncio.create_task(worker.run())
        try:
            yield Delivery(simulator, database, worker, clock, monotonic)
        finally:
            await worker.stop()
            await task


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    """Until the database shows `condition`, re-read every 10 ms for up to WAIT_TIMEOUT."""
    for _ in range(int(WAIT_TIMEOUT / 0.01)):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{condition.__qualname__} did not come true")


async def test_retry_after_locks_out_one_chat_on_the_fake_clock(delivery: Delivery) -> None:
    """A 429 of 30 s holds back only its chat, until the fake clocks pass 30 s; no real
    waiting."""
    started = time.monotonic()
    sim = delivery.sim
    slow, other = sim.add_user(first_name="Slow"), sim.add_user(first_name="Other")
    sim.fail_next(
        "sendMessage",
        status=429,
        description=f"Too Many Requests: retry after {RETRY_AFTER}",
        retry_after=RETRY_AFTER,
    )
    held = await delivery.queue(slow, "for slow")

    async def lock_out_recorded() -> bool:
        return (await delivery.row(held)).not_before > delivery.clock.now()

    await _until(lock_out_recorded)
    await delivery.queue(other, "first for other")
    await sim.wait_for_messages(other.id, 1)
    delivery.advance(RETRY_AFTER - 1)
    await delivery.queue(other, "second for other")  # a later row: the held one is read first
    await sim.wait_for_messages(other.id, 2)
    assert sim.messages(slow.id) == []
    delivery.advance(2)
    [message] = await sim.wait_for_messages(slow.id, 1)
    assert message.text == "for slow"

    async def sent() -> bool:
        return (await delivery.row(held)).status is OutboxStatus.SENT

    await _until(sent)
    assert (await delivery.row(held)).attempts == 1  # the 429 is not an attempt
    assert sim.stats.too_many_requests == 1
    assert time.monotonic() - started < RETRY_AFTER


async def test_the_global_budget_goes_round_the_waiting_chats(delivery: Delivery) -> None:
    """Five rows for four chats, two of them for the first: with the global burst spent on
    the first three chats, the fourth chat's only row goes before the first chat's second,
    although that one is older."""
    sim = delivery.sim
    first, second, third, fourth = (sim.add_user(first_name=f"U{n}") for n in range(4))
    async with delivery.database.transaction() as session:
        for user, text in [
            (first, "first 1"),
            (first, "first 2"),
            (second, "second 1"),
            (third, "third 1"),
            (fourth, "fourth 1"),
        ]:
            await enqueue(
                session,
                chat_id=user.id,
                method="sendMessage",
                params={"chat_id": user.id, "text": text},
                now=delivery.clock.now(),
            )
    delivery.worker.wake()

    def texts() -> list[str]:
        return [str(call.params.get("text")) for call in sim.calls if call.method == "sendMessage"]

    await sim.wait_for(lambda: len(texts()) == 3)  # the burst of the global budget
    assert sorted(texts()) == ["first 1", "second 1", "third 1"]

    async def first_settled() -> bool:
        async with delivery.database.reading() as session:
            status = await session.scalar(
                select(OutboxMessage.status)
                .where(OutboxMessage.chat_id == first.id)
                .order_by(OutboxMessage.id)
                .limit(1)
            )
        return status is OutboxStatus.SENT

    await _until(first_settled)  # so the first chat's second row is ready too
    delivery.advance(1.5 / 25)  # a token and a half of the global budget: one call
    await sim.wait_for(lambda: len(texts()) == 4)
    delivery.advance(1.5 / 25)
    await sim.wait_for(lambda: len(texts()) == 5)
    assert texts()[3:] == ["fourth 1", "first 2"]
