"""PostgreSQL drops the bot's connections mid-run (a restart, a failover): the bot, which
does not ping before each checkout, reconnects and keeps answering."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models.database import APPLICATION_NAME, Database
from telesim import Simulator
from tests.e2e.process import BotProcess, member_invitation

pytestmark = pytest.mark.e2e

WELCOME = "Selamat datang"
ANSWER_TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def postgres_only(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("PostgreSQL connections only")


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
    code = await member_invitation(database)
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
