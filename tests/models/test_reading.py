"""A reading transaction (an export) lets the bot's writes go on meanwhile."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from models.database import Database
from models.users import User

WRITE_TIMEOUT = 2.0
"""Well under the 5-s busy timeout a locked SQLite write would wait for."""


async def test_a_write_commits_while_a_long_read_is_open(database: Database) -> None:
    """The read sees the table; a write in another transaction commits at once meanwhile."""
    now = datetime.now(UTC)
    async with database.reading() as reader:
        before = await reader.scalar(select(func.count()).select_from(User))
        async with asyncio.timeout(WRITE_TIMEOUT), database.transaction() as writer:
            writer.add(User(telegram_id=5, first_name="Sri", created_at=now, last_seen_at=now))
        assert before == 0
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
