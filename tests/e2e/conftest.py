"""The real `sanimas run` beside the simulator, stopped at the end of each test."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from telesim import Simulator
from tests.e2e.process import BotProcess


@pytest.fixture
async def bot_process(
    simulator: Simulator, database_url: tuple[str, str | None], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    process = BotProcess(simulator, database_url, tmp_path / "bot.log")
    try:
        yield process
    finally:
        with contextlib.suppress(RuntimeError):
            await process.stop()
