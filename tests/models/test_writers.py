"""On SQLite, this process's writers take turns in memory before they take SQLite's write lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.turn import is_transient
from models.database import Database
from models.users import User

WRITERS = 10


@pytest.fixture
async def impatient(tmp_path: Path) -> AsyncIterator[Database]:
    """A database whose SQLite busy timeout is zero: a second writer at SQLite's lock fails
    at once, so only the in-process turn keeps concurrent writers apart."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}"
    database = Database(url, busy_timeout_ms=0, writer_wait_ms=5000)
    await database.upgrade()
    yield database
    await database.dispose()


async def _add_user(database: Database, telegram_id: int) -> None:
    now = datetime.now(UTC)
    async with database.transaction() as session:
        session.add(
            User(telegram_id=telegram_id, first_name="Sri", created_at=now, last_seen_at=now)
        )
        await session.flush()
        await session.scalar(select(func.count()).select_from(User))


async def test_concurrent_writers_of_one_process_all_commit(impatient: Database) -> None:
    """Ten writers at once, with no busy timeout to lean on: none meets a locked database."""
    await asyncio.gather(*(_add_user(impatient, 100 + n) for n in range(WRITERS)))
    async with impatient.reading() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == WRITERS


async def test_a_writer_waits_no_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    """While one transaction stays open, another gives up after the busy timeout with the
    error a locked SQLite gives, which a turn treats as worth trying again."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'held.db'}", busy_timeout_ms=50)
    # the second writer waits in this process, so SQLite's own busy timeout never comes into it
    await database.upgrade()
    try:
        async with database.transaction():
            with pytest.raises(OperationalError, match="database is locked") as failure:
                await _add_user(database, 7)
        assert is_transient(failure.value)
        await _add_user(database, 8)  # the turn is free again once the holder has committed
        async with database.reading() as session:
            ids = (await session.scalars(select(User.telegram_id))).all()
        assert ids == [8]
    finally:
        await database.dispose()
