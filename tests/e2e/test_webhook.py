"""`sanimas run` in webhook mode: Telegram (the simulator) posts updates with the secret."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from models.database import Database
from telesim import Simulator
from tests.e2e.process import BotProcess

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_answers(
    simulator: Simulator, database: Database, database_url: tuple[str, str | None], tmp_path: Path
) -> None:
    """The bot registers its webhook with the secret and answers a stranger through it."""
    port = free_port()
    process = BotProcess(
        simulator,
        database_url,
        tmp_path / "bot.log",
        SANIMAS_TELEGRAM__MODE="webhook",
        SANIMAS_TELEGRAM__WEBHOOK__LISTEN="127.0.0.1",
        SANIMAS_TELEGRAM__WEBHOOK__PORT=str(port),
        SANIMAS_TELEGRAM__WEBHOOK__URL=f"http://127.0.0.1:{port}/telegram",
        SANIMAS_TELEGRAM__WEBHOOK__SECRET_TOKEN="s3cret-Token_1",
    )
    process.start()
    try:
        await simulator.wait_for(lambda: bool(simulator.webhook_info().get("url")), timeout=20)
        user = simulator.add_user(first_name="Sri")
        await simulator.send_text(user.id, "/start")
        [reply] = await simulator.wait_for_messages(user.id, 1, timeout=20)
    finally:
        await process.stop()
    assert "kode undangan" in (reply.content or "")
    assert simulator.webhook_info()["url"] == f"http://127.0.0.1:{port}/telegram"
