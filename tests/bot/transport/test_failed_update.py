"""An update whose handler raises ends handled, its error kept in the inbox row."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import CommandHandler

from bot.app import build_application, running
from bot.clock import SystemClock
from bot.texts import Html, Texts
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
    await turn.reply(Html("tidak akan terkirim"))
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
