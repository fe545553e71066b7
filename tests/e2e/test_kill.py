"""SIGKILL of the real `sanimas run` at the risky moments: the user still gets one reply."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from sqlalchemy import select, text

from models.database import Database
from models.outbox import OutboxFile, OutboxMessage, OutboxStatus, Upload, enqueue
from telesim import Simulator
from telesim.files import placeholder_png
from tests.e2e.process import CLOCK, BotProcess, member_invitation

pytestmark = pytest.mark.e2e

WELCOME = "Selamat datang"


def _welcomes(sim: Simulator, chat_id: int) -> list[str]:
    return [m.content or "" for m in sim.messages(chat_id) if WELCOME in (m.content or "")]


async def _restart_and_expect_one_welcome(
    sim: Simulator, process: BotProcess, chat_id: int
) -> None:
    process.start()
    await sim.wait_for(lambda: len(_welcomes(sim, chat_id)) >= 1, timeout=20)
    await sim.wait_for(lambda: any(c.method == "getUpdates" for c in sim.calls[-3:]), timeout=10)
    assert len(_welcomes(sim, chat_id)) == 1, process.log()


async def test_kill_while_reply_in_flight(
    simulator: Simulator, database: Database, bot_process: BotProcess
) -> None:
    """Killed while its reply is on the wire (not yet applied): after restart, one reply."""
    code = await member_invitation(database)
    bot_process.start()
    await simulator.wait_for(lambda: simulator.polling, timeout=20)
    hold = simulator.hold_next("sendMessage")
    user = simulator.add_user(first_name="Sri")
    await simulator.send_text(user.id, f"/start {code}")
    await simulator.wait_for(hold.arrived.is_set, timeout=20)
    bot_process.kill()
    hold.release(apply=False)
    assert _welcomes(simulator, user.id) == []
    await _restart_and_expect_one_welcome(simulator, bot_process, user.id)
    async with database.transaction() as session:
        rows = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == user.id))
        )
    # the reply, not the reminders the restarted bot's first sweep queues for the new member
    replies = [row for row in rows if row.method == "sendMessage" and row.key is None]
    assert [row.status for row in replies] == [OutboxStatus.SENT]
    # claimed before the kill with no outcome: the resend is counted as a possible repeat
    assert [row.repeat_possible for row in replies] == [True]


async def test_kill_while_update_is_handled(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    bot_process: BotProcess,
) -> None:
    """Killed while the update waits on the database mid-handling: after restart, one reply."""
    code = await member_invitation(database)
    bot_process.start()
    await simulator.wait_for(lambda: simulator.polling, timeout=20)
    user = simulator.add_user(first_name="Sri")
    async with database.engine.connect() as blocker:
        if database.is_sqlite:
            await blocker.exec_driver_sql("SELECT 1")  # the engine begins IMMEDIATE: a write lock
            polls = _polls(simulator)
            await simulator.send_text(user.id, f"/start {code}")
            await simulator.wait_for(lambda: _polls(simulator) > polls, timeout=20)
        else:
            await blocker.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
            await simulator.send_text(user.id, f"/start {code}")
            await _wait_for_inbox_row(database)
        bot_process.kill()
        await blocker.rollback()
    assert _welcomes(simulator, user.id) == []
    await _restart_and_expect_one_welcome(simulator, bot_process, user.id)


def _polls(sim: Simulator) -> int:
    """getUpdates answers so far: one more means the update left the simulator, unconfirmed."""
    return sum(1 for call in sim.calls if call.method == "getUpdates" and call.status == 200)


async def _wait_for_inbox_row(database: Database) -> None:
    for _ in range(1000):
        async with database.engine.connect() as connection:
            count = (
                await connection.exec_driver_sql("SELECT count(*) FROM inbox_updates")
            ).scalar()
        if count:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError("the update never reached the inbox")


async def test_kill_while_upload_in_flight(
    simulator: Simulator, database: Database, bot_process: BotProcess
) -> None:
    """Killed while a queued PNG is on the wire: after restart the same bytes are uploaded
    again, arrive once, and the spooled file is gone."""
    user = simulator.add_user(first_name="Sri")
    chart = placeholder_png() + b"chart-of-november"
    bot_process.start()
    await simulator.wait_for(lambda: simulator.polling, timeout=20)
    hold = simulator.hold_next("sendPhoto")
    row_id = await _queue_photo(database, user.id, Upload(chart, "grafik.png", "image/png"))
    await simulator.wait_for(hold.arrived.is_set, timeout=20)
    bot_process.kill()
    hold.release(apply=False)
    assert simulator.messages(user.id) == []
    assert await _spool_and_status(database, row_id) == (1, OutboxStatus.PENDING)
    bot_process.start()
    [photo] = await simulator.wait_for_messages(user.id, 1, timeout=20)
    assert simulator.file_content(photo) == chart
    uploads = [call.uploads for call in simulator.calls if call.method == "sendPhoto"]
    assert uploads == [{"photo": hashlib.sha256(chart).hexdigest()}] * 2, bot_process.log()
    await _wait_for_spool_gone(database, row_id)
    assert await _spool_and_status(database, row_id) == (0, OutboxStatus.SENT)


async def _queue_photo(database: Database, chat_id: int, upload: Upload) -> int:
    async with database.transaction() as session:
        row = await enqueue(
            session,
            chat_id=chat_id,
            method="sendPhoto",
            params={"chat_id": chat_id},
            now=CLOCK.now(),
            key="chart:1",
            uploads={"photo": upload},
        )
        assert row is not None
        return row.id


async def _spool_and_status(database: Database, row_id: int) -> tuple[int, OutboxStatus | None]:
    async with database.transaction() as session:
        files = await session.scalars(select(OutboxFile.id).where(OutboxFile.outbox_id == row_id))
        status = await session.scalar(
            select(OutboxMessage.status).where(OutboxMessage.id == row_id)
        )
        return len(list(files)), status


async def _wait_for_spool_gone(database: Database, row_id: int) -> None:
    for _ in range(1000):
        if (await _spool_and_status(database, row_id))[0] == 0:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError("the spooled file was never removed")
