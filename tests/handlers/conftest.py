"""Fixtures for the handler tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import SystemClock
from models.database import Database
from tests.support.harness import BotHarness
from tests.support.reports import quick_harness


@pytest.fixture
async def quick(
    database: Database, database_url: tuple[str, str | None], clock: SystemClock
) -> AsyncIterator[BotHarness]:
    """Like `harness`, without per-chat pacing, for flows of many messages to one chat."""
    async with quick_harness(database_url, clock) as running:
        yield running
