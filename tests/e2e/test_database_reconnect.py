"""PostgreSQL drops the bot's connections mid-run (a restart, a failover): the bot, which
does not ping before each checkout, reconnects and keeps answering."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import SystemClock
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals
from models.database import APPLICATION_NAME, Database
from models.invitations import create_invitation
from telesim import Simulator
from tests.e2e.process import BotProcess
from tests.support.harness import IPAL_ROWS

pytestmark = pytest.mark.e2e

WELCOME = "Selamat datang"
ANSWER_TIMEOUT = 30.0


@pytest.fixture
async def bot_process(
    simulator: Simulator, database: Database, database_url: tuple[str, str | None], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    if database.is_sqlite:
        pytest.skip("PostgreSQL connections only")
    process = BotProcess(simulator, database_url, tmp_path / "bot.log")
    try:
        yield process
    finally:
        with contextlib.suppress(RuntimeError):
            await process.stop()


async def _invitation(database: Database) -> str:
    clock = SystemClock()
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=clock.now())
        ipal = await find_ipal(session, code="KP-WTS-01")
        invitation = await create_invitation(
            session,
            role=Role.MEMBER,
            ipal=ipal,
            area=None,
            max_uses=5,
            expires_in=None,
            now=clock.now(),
        )
        return invitation.code


async def _terminate_connections(database: Database, pid: int) -> int:
    """pg_terminate_backend on every connection of the bot process; how many there were."""
    async with database.engine.connect() as connection:
        result = await connection.execute(
            text(
                "SELECT count(*) FROM ("
                " SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :name) AS terminated"
            ),
            {"name": f"{APPLICATION_NAME}-{pid}"},
        )
        return int(result.scalar_one())


def _welcomed(sim: Simulator, chat_id: int) -> bool:
    return any(WELCOME in (m.content or "") for m in sim.messages(chat_id))


async def test_the_bot_answers_after_its_connections_are_killed(
    simulator: Simulator, database: Database, bot_process: BotProcess
) -> None:
    code = await _invitation(database)
    bot_process.start()
    await simulator.wait_for(lambda: simulator.polling, timeout=ANSWER_TIMEOUT)
    first = simulator.add_user(first_name="Sri")
    await simulator.send_text(first.id, f"/start {code}")
    await simulator.wait_for(lambda: _welcomed(simulator, first.id), timeout=ANSWER_TIMEOUT)

    assert await _terminate_connections(database, bot_process.pid) > 0

    second = simulator.add_user(first_name="Budi")
    await simulator.send_text(second.id, f"/start {code}")
    await simulator.wait_for(lambda: _welcomed(simulator, second.id), timeout=ANSWER_TIMEOUT)
    await simulator.send_text(first.id, "/bantuan")
    await simulator.wait_for(lambda: len(simulator.messages(first.id)) >= 2, timeout=ANSWER_TIMEOUT)
    assert await _terminate_connections(database, bot_process.pid) > 0, bot_process.log()
