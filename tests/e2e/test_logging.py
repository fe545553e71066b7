"""The bot token never reaches the log, even at DEBUG with httpx and PTB talking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from models.database import Database
from telesim import Simulator
from tests.e2e.process import BotProcess

pytestmark = pytest.mark.e2e
TOKEN = "7234567890:AAH-realistic_Looking-Token0123456789ab"


@pytest.fixture
async def real_token_simulator() -> AsyncIterator[Simulator]:
    sim = Simulator(token=TOKEN)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


async def test_token_not_in_debug_log(
    real_token_simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    tmp_path: Path,
) -> None:
    """A stranger's messages, a failing call and a stop, all at DEBUG: no token in the log."""
    sim = real_token_simulator
    process = BotProcess(sim, database_url, tmp_path / "bot.log")
    process.start()
    try:
        await sim.wait_for(lambda: sim.polling, timeout=20)
        user = sim.add_user(first_name="Sri")
        sim.fail_next("sendMessage", status=502, description="Bad Gateway")
        await sim.send_text(user.id, "/start NOSUCHCODE")
        await sim.wait_for_messages(user.id, 1, timeout=20)
    finally:
        await process.stop()
    log = process.log()
    assert "DEBUG" in log and "getUpdates" in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
