"""Durable intake: `put` stores before it returns, and a store is never cut off half-way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import func, select, text
from telegram import Update

from bot.clock import SystemClock
from bot.runtime import Runtime
from bot.transport.inbox import DurableUpdateQueue
from models.database import Database
from models.inbox import InboxUpdate
from telesim import Simulator
from tests.support.harness import test_settings as settings_for

WAIT = 10.0
POLL = 0.01


@pytest.fixture
async def queue(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> AsyncIterator[DurableUpdateQueue]:
    url, schema = database_url
    runtime = Runtime(settings_for(simulator, url, schema), clock, database=database)
    runtime.ready.set()
    queue = DurableUpdateQueue(runtime)
    yield queue
    await queue.finish_storing()


async def stored(database: Database) -> list[int]:
    async with database.transaction() as session:
        return list(await session.scalars(select(InboxUpdate.update_id)))


async def test_repeated_update_is_stored_and_queued_once(
    queue: DurableUpdateQueue, database: Database
) -> None:
    await queue.put(Update(update_id=41))
    await queue.put(Update(update_id=41))
    assert await stored(database) == [41]
    assert queue.qsize() == 1


async def until(predicate: Callable[[], bool]) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"not met within {WAIT} s")
        await asyncio.sleep(POLL)


async def test_cancelled_put_still_commits_its_store(
    queue: DurableUpdateQueue, database: Database
) -> None:
    """Stopping the Updater cancels a `put`; the insert it began still commits, not queued."""
    async with database.transaction() as session:
        if not database.is_sqlite:  # SQLite's BEGIN IMMEDIATE already holds the write lock
            await session.execute(text("LOCK TABLE inbox_updates IN EXCLUSIVE MODE"))
        await session.execute(select(func.count()).select_from(InboxUpdate))
        putting = asyncio.create_task(queue.put(Update(update_id=42)))
        await until(lambda: queue.storing > 0)
        putting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await putting
    await asyncio.wait_for(queue.finish_storing(), WAIT)
    assert await stored(database) == [42]
    assert queue.qsize() == 0


async def test_a_polled_batch_is_stored_before_its_puts_and_known_ids_are_dropped(
    queue: DurableUpdateQueue, database: Database
) -> None:
    await queue.put(Update(update_id=60))
    await queue.store_batch([Update(update_id=60), Update(update_id=61), Update(update_id=62)])
    assert sorted(await stored(database)) == [60, 61, 62]
    assert queue.qsize() == 1  # stored, but only `put` queues
    for update_id in (60, 61, 62):
        await queue.put(Update(update_id=update_id))
    queued = [queue.get_nowait() for _ in range(queue.qsize())]
    assert [item.update_id for item in queued if isinstance(item, Update)] == [60, 61, 62]
    await queue.put(Update(update_id=61))  # polled again later: known, dropped
    assert queue.qsize() == 0
