"""`sanimas sweep`: one line per message queued, nothing twice, and a dry run that queues none."""

from __future__ import annotations

import argparse
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.cli.console import USAGE_ERROR, Console
from bot.cli.sweep import sweep
from bot.clock import WIB
from bot.settings import Settings
from bot.texts import Texts
from domain.vocabulary import Role
from models.database import Database
from models.outbox import OutboxMessage
from tests.support.reminders import add_ipals, add_person, ipal_row, reminder_settings

ENGLISH = Console(Texts("en"))
START = datetime(2026, 12, 20, 9, 0, tzinfo=WIB)


@pytest.fixture
def settings(database: Database, database_url: tuple[str, str | None]) -> Settings:
    url, schema = database_url
    return reminder_settings(url, schema)


async def rows(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_sweep_prints_what_it_queued_once(
    settings: Settings, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """On 1 January the LLTT due date and December's missing report: one line each
    (recipient, kind, IPAL); the same instant again: nothing."""
    await add_ipals(database, [ipal_row("KP-9", "Triharjo", built_year=2025)], START)
    await add_person(database, "Bu Sri", Role.MEMBER, START, ipal="KP-9")
    at = argparse.Namespace(at="2027-01-01T08:00:00+07:00", dry_run=False)
    assert await sweep(settings, at, ENGLISH) == 0
    out = capsys.readouterr().out
    assert out.count("Bu Sri") == 2
    assert "· lltt · KP-9" in out and "· monthly · KP-9" in out
    assert await rows(database) == 2
    assert await sweep(settings, at, ENGLISH) == 0
    assert "Nothing was due" in capsys.readouterr().out
    assert await rows(database) == 2


async def test_a_dry_run_queues_nothing(
    settings: Settings, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    await add_ipals(database, [ipal_row("KP-9", "Triharjo", built_year=2025)], START)
    await add_person(database, "Bu Sri", Role.MEMBER, START, ipal="KP-9")
    dry = argparse.Namespace(at="2027-01-01T08:00:00", dry_run=True)
    assert await sweep(settings, dry, ENGLISH) == 0
    assert "· lltt · KP-9" in capsys.readouterr().out
    assert await rows(database) == 0


async def test_a_bad_instant_is_refused(
    settings: Settings, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = await sweep(settings, argparse.Namespace(at="tomorrow", dry_run=False), ENGLISH)
    assert refused == USAGE_ERROR
    assert "'tomorrow' is not an ISO 8601 time" in capsys.readouterr().err
