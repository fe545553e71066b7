"""An update whose handler raises ends handled, its error kept in the inbox row."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram.ext import CommandHandler

from bot.app import build_application, running
from bot.clock import SystemClock
from bot.texts import Texts, escape
from bot.turn import Turn, handler
from handlers import MAIN_GROUP
from models.database import Database
from models.inbox import InboxUpdate
from telesim import Simulator
from tests.support.harness import BotHarness
from tests.support.harness import test_settings as settings_for


@handler
async def fail_on_purpose(turn: Turn) -> None:
    """Queue a reply, then fail with a message that names the bot token."""
    await turn.reply(escape("tidak akan terkirim"))
    token = turn.runtime.settings.telegram.require_token()
    raise RuntimeError(f"call to https://bot.example/bot{token}/sendMessage failed")


async def test_failed_update_keeps_its_error(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> None:
    """The user gets only the apology; the row is handled with the error's type and message,
    the token masked; an update handled normally keeps no error."""
    url, schema = database_url
    application = build_application(settings_for(simulator, url, schema), clock=clock)
    # first in the main group, as a feature's handler would be
    application.handlers[MAIN_GROUP].insert(0, CommandHandler("gagal", fail_on_purpose))
    async with running(application) as runtime:
        harness = BotHarness(sim=simulator, runtime=runtime, clock=clock)
        user = simulator.add_user(first_name="Sri", language_code="id")
        replies = await harness.say(user, "/gagal")
        await harness.say(user, "/bantuan")
    assert [message.content for message in replies] == [Texts("id")("error-generic")]
    async with database.transaction() as session:
        failed, fine = await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id))
    assert failed.handled_at is not None and fine.handled_at is not None
    assert failed.error == (
        "RuntimeError: call to https://bot.example/bot<hidden>/sendMessage failed"
    )
    assert simulator.token not in failed.error
    assert fine.error is None


class LockedOnce:
    """A handler that meets SQLite's "database is locked" on its first run only."""

    def __init__(self) -> None:
        self.runs = 0

    async def __call__(self, turn: Turn) -> None:
        self.runs += 1
        await turn.reply(escape(f"jalan ke-{self.runs}"))
        if self.runs == 1:
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
            )


async def test_a_turn_that_met_a_passing_database_error_runs_again(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> None:
    """Its first run's writes were rolled back: the user gets the second run's reply only,
    and the update ends handled without error."""
    url, schema = database_url
    application = build_application(settings_for(simulator, url, schema), clock=clock)
    locked_once = LockedOnce()
    application.handlers[MAIN_GROUP].insert(0, CommandHandler("kunci", handler(locked_once)))
    async with running(application) as runtime:
        harness = BotHarness(sim=simulator, runtime=runtime, clock=clock)
        user = simulator.add_user(first_name="Sri", language_code="id")
        replies = await harness.say(user, "/kunci")
    assert [message.content for message in replies] == ["jalan ke-2"]
    assert locked_once.runs == 2
    async with database.transaction() as session:
        row = await session.scalar(select(InboxUpdate))
    assert row is not None and row.handled_at is not None and row.error is None
