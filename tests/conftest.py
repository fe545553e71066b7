"""Fixtures: databases (SQLite and PostgreSQL), the simulator, and the running bot."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import asyncpg
import pytest

from bot.clock import WIB, SystemClock
from models.database import Database
from telesim import SimLimits, Simulator
from tests.support.harness import BotHarness, start_harness

os.environ.setdefault("PTB_TIMEDELTA", "true")

POSTGRES_URL = os.environ.get(
    "SANIMAS_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
START = datetime(2026, 11, 16, 9, 0, tzinfo=WIB)


async def _postgres_reachable() -> str | None:
    dsn = POSTGRES_URL.replace("+asyncpg", "")
    try:
        connection = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        return str(error) or type(error).__name__
    await connection.close()
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[str, str | None]]:
    """A fresh empty database: a SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'sanimas.db'}", None
        return
    problem = await _postgres_reachable()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI at {POSTGRES_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    dsn = POSTGRES_URL.replace("+asyncpg", "")
    connection = await asyncpg.connect(dsn)
    await connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield POSTGRES_URL, schema
    finally:
        await connection.execute(f"DROP SCHEMA {schema} CASCADE")
        await connection.close()


@pytest.fixture
async def database(database_url: tuple[str, str | None]) -> AsyncIterator[Database]:
    url, schema = database_url
    db = Database(url, schema_name=schema)
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def clock() -> SystemClock:
    """Real time running from a fixed Monday morning; tests move it with `advance`."""
    return SystemClock(START)


async def checked_simulator(limits: SimLimits | None = None) -> AsyncIterator[Simulator]:
    """A running simulator, checked at the end for calls Telegram would refuse."""
    sim = Simulator() if limits is None else Simulator(limits=limits)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()
    assert sim.violations == [], f"the bot made calls Telegram would refuse: {sim.violations}"


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    async for sim in checked_simulator():
        yield sim


@pytest.fixture
async def unpaced_simulator() -> AsyncIterator[Simulator]:
    """A simulator without the per-chat burst limit, for flows of many messages to one chat."""
    async for sim in checked_simulator(SimLimits(private_burst=None)):
        yield sim


@pytest.fixture
async def harness(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> AsyncIterator[BotHarness]:
    """The real bot (polling the simulator) on a fresh, migrated database."""
    async with start_harness(simulator, database_url, clock) as running:
        yield running
