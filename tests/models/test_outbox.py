"""The outbox's enqueue: one row per key, whoever writes it and however they race."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import WIB
from models.database import Database
from models.outbox import OutboxFile, OutboxMessage, Upload, enqueue, uploads_of
from tests.conftest import START

LOCK_WAIT_TIMEOUT = 10.0


async def _enqueue_text(session: AsyncSession, key: str | None) -> OutboxMessage | None:
    return await enqueue(
        session,
        chat_id=7,
        method="sendMessage",
        params={"chat_id": 7, "text": "Halo"},
        now=START,
        key=key,
    )


async def _count(database: Database) -> int:
    async with database.transaction() as session:
        return await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


async def test_a_used_key_adds_nothing(database: Database) -> None:
    """The second enqueue of a key returns None and leaves the first row as it was."""
    async with database.transaction() as session:
        first = await _enqueue_text(session, "expired:1")
        again = await _enqueue_text(session, "expired:1")
        keyless = [await _enqueue_text(session, None) for _ in range(2)]
    assert first is not None
    assert (first.key, first.not_before, first.status) == ("expired:1", START, "pending")
    assert again is None
    assert all(row is not None for row in keyless)
    assert await _count(database) == 3


async def test_two_writers_of_one_key_give_one_row_and_no_error(database: Database) -> None:
    """Two transactions enqueue one key at once: both commit, one row exists.

    On PostgreSQL both are open before either commits (the second waits on the first's
    uncommitted row); SQLite takes its write lock at BEGIN, so there they queue.
    """
    if database.is_sqlite:
        results = await asyncio.gather(*(_enqueue_in_own_transaction(database) for _ in range(2)))
    else:
        results = await _race_on_postgres(database)
    assert sorted(result is None for result in results) == [False, True]
    assert await _count(database) == 1


async def _enqueue_in_own_transaction(database: Database) -> int | None:
    async with database.transaction() as session:
        row = await _enqueue_text(session, "alert:1")
        return None if row is None else row.id


async def _race_on_postgres(database: Database) -> list[int | None]:
    async with database.transaction() as first, database.transaction() as second:
        second_pid = await second.scalar(text("SELECT pg_backend_pid()"))
        row = await _enqueue_text(first, "alert:1")
        waiting = asyncio.create_task(_enqueue_text(second, "alert:1"))
        await _wait_until_blocked(database, second_pid)
        await first.commit()
        other = await asyncio.wait_for(waiting, LOCK_WAIT_TIMEOUT)
        await second.commit()
    return [None if row is None else row.id, None if other is None else other.id]


async def _wait_until_blocked(database: Database, pid: int | None) -> None:
    """Until the backend `pid` waits on a lock (the other transaction's new key)."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    async with asyncio.timeout(LOCK_WAIT_TIMEOUT):
        while True:
            async with database.engine.connect() as connection:
                if (await connection.scalar(query, {"pid": pid})) == "Lock":
                    return
            await asyncio.sleep(0.01)


async def test_uploads_are_spooled_with_their_row(database: Database) -> None:
    """The bytes of an upload commit with the row; a duplicate key spools nothing more."""
    png = Upload(b"\x89PNG-chart", "grafik.png", "image/png")
    async with database.transaction() as session:
        row = await enqueue(
            session,
            chat_id=7,
            method="sendPhoto",
            params={"chat_id": 7, "caption": "Grafik"},
            now=START.astimezone(WIB),
            key="chart:1",
            uploads={"photo": png},
        )
        again = await enqueue(
            session,
            chat_id=7,
            method="sendPhoto",
            params={"chat_id": 7},
            now=START,
            key="chart:1",
            uploads={"photo": Upload(b"other", "x.png", "image/png")},
        )
    assert row is not None
    assert again is None
    async with database.transaction() as session:
        assert await uploads_of(session, outbox_id=row.id) == {"photo": png}
        assert await session.scalar(select(func.count()).select_from(OutboxFile)) == 1


async def test_many_calls_are_added_at_once_each_key_once(database: Database) -> None:
    """`enqueue_many` adds the rows `enqueue` would, over several chunks, and returns the ids
    of those it added: a key used before (by `enqueue` or in the same batch) adds nothing."""
    from datetime import timedelta

    from models.outbox import ENQUEUE_CHUNK, NewCall, OutboxStatus, enqueue_many

    later = START + timedelta(hours=3)
    async with database.transaction() as session:
        before = await _enqueue_text(session, "lltt:1:7")
        assert before is not None
    calls = [
        NewCall(
            chat_id=n,
            method="sendMessage",
            params={"chat_id": n, "text": f"Halo {n}"},
            key=f"lltt:1:{n}",
            bulk=True,
            not_before=later if n % 2 else None,
        )
        for n in range(ENQUEUE_CHUNK + 10)
    ]
    calls.append(NewCall(chat_id=3, method="sendMessage", params={}, key="lltt:1:3"))
    async with database.transaction() as session:
        ids = await enqueue_many(session, calls, now=START)
    async with database.transaction() as session:
        rows = {
            row.key: row
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
        }
    assert len(ids) == len(set(ids)) == ENQUEUE_CHUNK + 9
    assert "lltt:1:7" not in rows
    assert set(rows) == {f"lltt:1:{n}" for n in range(ENQUEUE_CHUNK + 10) if n != 7}
    odd, even = rows["lltt:1:5"], rows["lltt:1:4"]
    assert odd.params == {"chat_id": 5, "text": "Halo 5"}
    assert (odd.status, odd.bulk, odd.attempts, odd.chat_id) == (OutboxStatus.PENDING, True, 0, 5)
    assert odd.not_before == later and even.not_before == START == even.created_at
    async with database.transaction() as session:
        assert await enqueue_many(session, calls, now=START) == []
    assert await _count(database) == ENQUEUE_CHUNK + 10
