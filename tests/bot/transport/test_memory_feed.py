"""The outbox worker fed from memory: committed rows are handed to it, the rest it reads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import event, func, select, update

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


async def _all_recorded(database: Database) -> None:
    """Until no outbox row is left pending: every outcome is written."""

    async def none_pending() -> bool:
        async with database.reading() as session:
            pending = await session.scalar(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
            )
        return pending == 0

    await _until(none_pending)


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
    handed: list[tuple[list[int], list[int]]] = []
    stop = database.listen_enqueued(
        lambda ids, rows: handed.append((list(ids), [row.id for row in rows]))
    )
    try:
        with pytest.raises(RuntimeError):
            await _enqueue_and_fail(database)
        assert handed == []
        async with database.transaction() as session:
            kept = await _enqueue(session, "kept")
            assert kept is not None
            assert handed == []  # not before the commit
        assert handed == [([kept.id], [kept.id])]  # an id, and the row as it was committed
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


@contextlib.contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    """The SQL the database runs meanwhile, commits as "COMMIT"."""
    seen: list[str] = []
    engine = database.engine.sync_engine

    def statement(*args: Any) -> None:
        seen.append(str(args[2]))

    def commit(*_: Any) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


async def test_while_the_global_budget_holds_rows_outcomes_go_with_the_next_claim(
    simulator: Simulator, database: Database
) -> None:
    """Twenty chats at once, more than the global burst: the worker writes each outcome in
    the transaction of a later claim, so the drain takes about one commit a delivery, not
    one for the claim and one for the outcome."""
    chats = 20
    users = [simulator.add_user(first_name=f"U{n}") for n in range(chats)]
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        with _statements(database) as seen:
            async with database.transaction() as session:
                for user in users:
                    await _enqueue(session, f"for {user.id}", chat_id=user.id)
            for user in users:
                await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)
            await _all_recorded(database)
    commits = seen.count("COMMIT")
    assert commits < 1.5 * chats, seen


async def test_an_edit_of_a_row_this_worker_sent_needs_no_read_of_its_message_id(
    simulator: Simulator, database: Database
) -> None:
    """The worker remembers the message ids it was given, and edits them without asking the
    database which message it was."""
    user = simulator.add_user(first_name="Wati")
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        first = await running.queue(user, "before")
        await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)

        async def sent() -> bool:
            return (await running.row(first)).status is OutboxStatus.SENT

        await _until(sent)
        with _statements(database) as seen:
            async with database.transaction() as session:
                await enqueue(
                    session,
                    chat_id=user.id,
                    method="editMessageText",
                    params={"chat_id": user.id, "text": "after"},
                    now=running.clock.now(),
                    edits_id=first,
                )
            await simulator.wait_for(
                lambda: simulator.messages(user.id)[0].text == "after", timeout=WAIT_TIMEOUT
            )
    reads_of_message_ids = [
        sql for sql in seen if sql.startswith("SELECT outbox.id, outbox.message_id")
    ]
    assert reads_of_message_ids == []
    assert any("outbox" in sql for sql in seen)  # the listener did see the worker's SQL


async def test_a_chat_read_in_full_takes_its_next_rows_from_memory(
    simulator: Simulator, database: Database
) -> None:
    """The first row for a chat makes the worker read that chat's waiting rows; the next ones
    this process adds are delivered as they were committed, with no read of the queue."""
    user = simulator.add_user(first_name="Yanti")
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        with _statements(database) as first:
            await running.queue(user, "one")
            await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)
        with _statements(database) as later:
            await running.queue(user, "two")
            await running.queue(user, "three")
            messages = await simulator.wait_for_messages(user.id, 3, timeout=WAIT_TIMEOUT)
    assert [message.text for message in messages] == ["one", "two", "three"]

    def reads_of_waiting_rows(seen: list[str]) -> list[str]:
        return [
            sql for sql in seen if sql.startswith("SELECT outbox.id, outbox.chat_id, outbox.method")
        ]

    assert len(reads_of_waiting_rows(first)) == 1
    assert reads_of_waiting_rows(later) == []


async def test_a_chat_s_next_row_is_claimed_with_the_outcome_of_its_last(
    simulator: Simulator, database: Database
) -> None:
    """Five rows for one chat go one at a time, in order; each answer frees the chat at once,
    so the next row's claim shares a transaction with the last one's outcome rather than
    following it in one of its own."""
    user = simulator.add_user(first_name="Dewi")
    texts = [f"{n}/5" for n in range(1, 6)]
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        await running.queue(user, "warm-up")  # the chat is read once; its next rows are not
        await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)
        with _statements(database) as seen:
            async with database.transaction() as session:
                for text in texts:
                    await _enqueue(session, text, chat_id=user.id)
            messages = await simulator.wait_for_messages(user.id, 6, timeout=WAIT_TIMEOUT)
            await _all_recorded(database)
    assert [message.text for message in messages[1:]] == texts
    transactions = " ".join(seen).split("COMMIT")
    claims = [tx for tx in transactions if "SET claimed_at=" in tx]
    both = [tx for tx in claims if "SET status=" in tx]
    assert len(claims) == len(texts)  # one row a claim: one call in flight per chat
    assert both  # an outcome and the next claim in one transaction


async def test_a_row_of_a_savepoint_rolled_back_is_never_delivered(
    simulator: Simulator, database: Database
) -> None:
    """A row added inside a savepoint that is rolled back, in a transaction that commits, is
    not taken from memory: only the committed row after it arrives."""
    user = simulator.add_user(first_name="Rina")
    async with running_worker(simulator, database, poll_seconds=NEVER) as running:
        await _first_read_done(running.worker)
        await running.queue(user, "warm-up")  # the chat is read once; its next rows are not
        await simulator.wait_for_messages(user.id, 1, timeout=WAIT_TIMEOUT)
        async with database.transaction() as session:
            with contextlib.suppress(RuntimeError):
                async with session.begin_nested():
                    await _enqueue(session, "rolled back", chat_id=user.id)
                    raise RuntimeError("the savepoint's work failed")
            await _enqueue(session, "kept", chat_id=user.id)
        messages = await simulator.wait_for_messages(user.id, 2, timeout=WAIT_TIMEOUT)
    assert [message.text for message in messages] == ["warm-up", "kept"]


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
