"""The outbox worker fed from memory: committed rows are handed to it, the rest it reads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.clock import ManualClock
from bot.settings import OutboxSettings, TelegramSettings
from bot.transport.api import build_bot
from bot.transport.delivery import OutboxWorker
from models.database import Database
from models.outbox import OutboxMessage, OutboxStatus, count_possible_repeats, enqueue
from telesim import Simulator, SimUser
from tests.conftest import START

WAIT_TIMEOUT = 10.0
NEVER = 3600.0
"""A safety-net interval no test waits for."""


@dataclass
class Worker:
    sim: Simulator
    database: Database
    worker: OutboxWorker
    clock: ManualClock

    async def queue(self, user: SimUser, text: str, *, database: Database | None = None) -> int:
        async with (database or self.database).transaction() as session:
            row = await enqueue(
                session,
                chat_id=user.id,
                method="sendMessage",
                params={"chat_id": user.id, "text": text},
                now=self.clock.now(),
                key=f"test:{text}",
            )
            assert row is not None
        return row.id

    async def row(self, row_id: int) -> OutboxMessage:
        async with self.database.transaction() as session:
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == row_id))
            assert row is not None
            return row


@contextlib.asynccontextmanager
async def running_worker(
    simulator: Simulator, database: Database, *, poll_seconds: float
) -> AsyncIterator[Worker]:
    """The outbox worker alone, reading the queue every `poll_seconds`."""
    clock = ManualClock(START)
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
            settings=OutboxSettings(poll_seconds=poll_seconds),
        )
        task = asyncio.create_task(worker.run())
        try:
            yield Worker(simulator, database, worker, clock)
        finally:
            await worker.stop()
            await task


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    """Until `condition` comes true, looking every 10 ms for up to WAIT_TIMEOUT."""
    for _ in range(int(WAIT_TIMEOUT / 0.01)):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{condition.__qualname__} did not come true")


async def _first_read_done(worker: OutboxWorker) -> None:
    async def read() -> bool:
        return worker.safety_reads >= 1

    await _until(read)


async def test_a_committed_row_is_delivered_without_a_read_of_the_queue(
    simulator: Simulator, database: Database
) -> None:
    """With the safety net an hour away, a row committed after start-up arrives at once."""
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        user = simulator.add_user(first_name="Ani")
        row_id = await running.queue(user, "handed")
        [message] = await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)

        async def recorded() -> bool:
            return (await running.row(row_id)).status is OutboxStatus.SENT

        await _until(recorded)
        assert message.text == "handed"
        assert running.worker.safety_reads == 1  # only the start-up read
        row = await running.row(row_id)
        assert (row.attempts, row.claimed_at, row.repeat_possible) == (1, None, False)


async def test_a_rolled_back_transaction_hands_nothing(database: Database) -> None:
    """Rows of a transaction that fails are never handed on; a committed one's are, once."""
    handed: list[int] = []
    stop = database.listen_enqueued(handed.extend)
    try:
        with pytest.raises(RuntimeError):
            await _enqueue_and_fail(database)
        assert handed == []
        async with database.transaction() as session:
            kept = await _enqueue(session, "kept")
            assert kept is not None
            assert handed == []  # not before the commit
        assert handed == [kept.id]
    finally:
        stop()


async def test_a_row_another_process_wrote_comes_with_the_safety_net(
    simulator: Simulator, database: Database, database_url: tuple[str, str | None]
) -> None:
    """A row committed through another engine (the CLI) is found by the read of the queue."""
    url, schema = database_url
    other = Database(url, schema_name=schema)
    try:
        async with running_worker(simulator, database, poll_seconds=1.0) as running:
            await _first_read_done(running.worker)
            user = simulator.add_user(first_name="Budi")
            row_id = await running.queue(user, "from the CLI", database=other)
            [message] = await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)
            assert message.text == "from the CLI"
            assert running.worker.safety_reads >= 2  # not handed: it came with a later read

            async def recorded() -> bool:
                return (await running.row(row_id)).status is OutboxStatus.SENT

            await _until(recorded)
    finally:
        await other.dispose()


async def test_a_row_claimed_without_outcome_is_a_possible_repeat_after_restart(
    simulator: Simulator, database: Database
) -> None:
    """A row left claimed by a process that died is sent again and marked as a possible
    repeat; a row that was never claimed is not."""
    claimed_user, fresh_user = (
        simulator.add_user(first_name="Sri"),
        simulator.add_user(first_name="Tono"),
    )
    async with database.transaction() as session:
        claimed = await _enqueue(session, "in flight at the kill", chat_id=claimed_user.id)
        fresh = await _enqueue(session, "never started", chat_id=fresh_user.id)
        assert claimed is not None and fresh is not None
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == claimed.id).values(claimed_at=START)
        )
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await simulator.wait_for_messages(claimed_user.id, 1, timeout=WAIT_TIMEOUT)
        await simulator.wait_for_messages(fresh_user.id, 1, timeout=WAIT_TIMEOUT)

        async def both_recorded() -> bool:
            rows = [await running.row(claimed.id), await running.row(fresh.id)]
            return all(row.status is OutboxStatus.SENT for row in rows)

        await _until(both_recorded)
        assert (await running.row(claimed.id)).repeat_possible
        assert not (await running.row(fresh.id)).repeat_possible
    async with database.transaction() as session:
        ids = [claimed.id, fresh.id]
        assert await count_possible_repeats(session, outbox_ids=ids) == 1
        assert await count_possible_repeats(session, key_prefix="test:in flight") == 1
        assert await count_possible_repeats(session, key_prefix="test:never") == 0


async def _enqueue_and_fail(database: Database) -> None:
    async with database.transaction() as session:
        row = await _enqueue(session, "rolled back")
        assert row is not None
        raise RuntimeError("the update failed")


async def _enqueue(session: Any, text: str, *, chat_id: int = 7) -> OutboxMessage | None:
    return await enqueue(
        session,
        chat_id=chat_id,
        method="sendMessage",
        params={"chat_id": chat_id, "text": text},
        now=START,
        key=f"test:{text}",
    )
