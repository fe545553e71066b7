"""The outbox's enqueue: one row per key, whoever writes it and however they race."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import WIB
from models.database import Database
from models.outbox import (
    DeferredCall,
    OutboxFile,
    OutboxMessage,
    Upload,
    defer_first,
    enqueue,
    uploads_of,
)
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


def _answer(session: AsyncSession) -> DeferredCall:
    return defer_first(
        session,
        chat_id=7,
        method="answerCallbackQuery",
        params={"callback_query_id": "q1"},
        now=START,
    )


async def _rows(database: Database) -> list[tuple[str, dict[str, object]]]:
    async with database.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.method, row.params) for row in rows]


async def test_a_deferred_call_goes_in_first_with_the_next_row(database: Database) -> None:
    """The deferred answer and the next row take one INSERT, the answer with the lower id;
    its params may change before and after; both are handed on at the commit."""
    handed: list[list[int]] = []
    stop = database.listen_enqueued(lambda ids, _rows: handed.append(list(ids)))
    inserts: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO outbox"):
            inserts.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", note)
    try:
        async with database.transaction() as session:
            answer = _answer(session)
            answer.params = {**answer.params, "text": "Tercatat"}
            reply = await _enqueue_text(session, None)
            answer.params = {**answer.params, "show_alert": True}
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", note)
        stop()
    assert reply is not None and answer.row is not None
    assert len(inserts) == 1
    assert handed == [[answer.row.id, reply.id]]
    assert await _rows(database) == [
        (
            "answerCallbackQuery",
            {"callback_query_id": "q1", "text": "Tercatat", "show_alert": True},
        ),
        ("sendMessage", {"chat_id": 7, "text": "Halo"}),
    ]


async def test_a_deferred_call_alone_is_inserted_at_the_commit(database: Database) -> None:
    async with database.transaction() as session:
        answer = _answer(session)
        answer.params = {**answer.params, "text": "Basi"}
    assert await _rows(database) == [
        ("answerCallbackQuery", {"callback_query_id": "q1", "text": "Basi"})
    ]
    with contextlib.suppress(LookupError):
        async with database.transaction() as session:
            _answer(session)
            raise LookupError("rolled back")
    assert await _count(database) == 1


async def test_a_deferred_call_stays_first_before_a_keyed_row(database: Database) -> None:
    async with database.transaction() as session:
        _answer(session)
        await _enqueue_text(session, "reminder:1")
    assert [method for method, _ in await _rows(database)] == ["answerCallbackQuery", "sendMessage"]


async def test_a_deferred_call_outlives_a_rolled_back_savepoint(database: Database) -> None:
    """A row added in a savepoint does not take the deferred call with it: when the savepoint
    is rolled back, the call is still inserted at the commit."""
    async with database.transaction() as session:
        _answer(session)
        with contextlib.suppress(LookupError):
            async with session.begin_nested():
                await _enqueue_text(session, None)
                raise LookupError("the savepoint is rolled back")
    assert [method for method, _ in await _rows(database)] == ["answerCallbackQuery"]
