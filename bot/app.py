"""Composes the bot: PTB Application, durable intake, outbox worker, scheduler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot.clock import Clock, SystemClock
from bot.features import Feature
from bot.runtime import RUNTIME_KEY, Runtime, open_database
from bot.settings import Settings
from bot.sql_count import SqlCounter, counted_as, counter_from_environment
from bot.transport.api import build_bot
from bot.transport.delivery import OutboxWorker
from bot.transport.inbox import DurableUpdateQueue, finish_update, remember_failure
from bot.transport.ordering import PerChatUpdateProcessor
from handlers import features as all_features
from handlers import register_all
from handlers.common import apologise
from models.database import Database
from scheduler.host import SweepScheduler

log = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 256
FIRST_SWEEPS_TIMEOUT = 30.0
BotApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings, *, clock: Clock | None = None, features: Sequence[Feature] | None = None
) -> BotApplication:
    """Wire everything; the database opens in post_init and closes in post_shutdown.

    `features` defaults to every feature of `handlers`, in their documented order.
    A feature declared wrongly (a flow of the wrong shape, a menu entry twice) fails here, at
    start-up, with a sentence naming it.
    """
    runtime = Runtime(settings=settings, clock=clock or SystemClock(settings.clock.start))
    queue = DurableUpdateQueue(runtime)

    async def after_update(update: Any) -> None:
        await finish_update(runtime, update)

    application = (
        ApplicationBuilder()
        .bot(build_bot(settings.telegram, intake=queue.store_batch))
        .update_queue(queue)
        .job_queue(None)
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES, after_update))
        .post_init(lambda app: start_services(app, runtime, queue))
        .post_shutdown(lambda app: stop_services(app, runtime))
        .build()
    )
    application.bot_data[RUNTIME_KEY] = runtime
    register_all(application, runtime, all_features() if features is None else features)
    application.add_error_handler(apologise)
    application.add_error_handler(remember_failure)
    return application


async def start_services(
    application: BotApplication, runtime: Runtime, queue: DurableUpdateQueue
) -> None:
    settings = runtime.settings
    database = open_database(settings.database, outbox_concurrency=settings.outbox.concurrency)
    await prepare_schema(database)
    application.bot_data["sql_counter"] = counter_from_environment(database)
    runtime.database = database
    runtime.ready.set()
    replayed = await queue.replay(application.bot)
    if replayed:
        log.info("replaying %d updates received before the last stop", replayed)
    worker = OutboxWorker(
        database=database, bot=application.bot, clock=runtime.clock, settings=settings.outbox
    )
    runtime.delivery = worker
    with counted_as("delivery"):
        application.bot_data["outbox_task"] = asyncio.create_task(worker.run(), name="outbox")
    scheduler = SweepScheduler(runtime)
    with counted_as("sweeps"):
        scheduler.start()
    application.bot_data["scheduler"] = scheduler


async def prepare_schema(database: Database) -> None:
    """An embedded SQLite is upgraded in place; PostgreSQL must be upgraded by its operator."""
    if database.is_sqlite:
        await database.upgrade()
    else:
        await database.check_schema()


async def stop_services(application: BotApplication, runtime: Runtime) -> None:
    scheduler = application.bot_data.pop("scheduler", None)
    if scheduler is not None:
        await scheduler.stop()
    if isinstance(application.update_queue, DurableUpdateQueue):
        await application.update_queue.finish_storing()
    await runtime.jobs.stop()
    if runtime.delivery is not None:
        await runtime.delivery.stop()
    task = application.bot_data.pop("outbox_task", None)
    if task is not None:
        await asyncio.gather(task, return_exceptions=True)
    counter = application.bot_data.pop("sql_counter", None)
    if isinstance(counter, SqlCounter):
        counter.write()
    if runtime.database is not None:
        await runtime.database.dispose()


@asynccontextmanager
async def running(application: BotApplication, *, poll_timeout: int = 1) -> AsyncIterator[Runtime]:
    """Run the bot with long polling inside the caller's event loop (tests, demo, benchmarks).

    It does what `run_polling` does, without owning the loop or the signals.
    """
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    updater = application.updater
    if updater is None:
        raise RuntimeError("the application was built without an updater")
    await updater.start_polling(poll_interval=0, timeout=poll_timeout)
    await application.start()
    try:
        await first_sweeps_done(application)
        yield runtime_of_application(application)
    finally:
        await updater.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def first_sweeps_done(application: BotApplication) -> None:
    """Wait for the sweeps' run at start-up, so that what a test or the demo sets up next is
    swept only when it sweeps (a digest must not race a user joining)."""
    scheduler = application.bot_data.get("scheduler")
    if isinstance(scheduler, SweepScheduler):
        await asyncio.wait_for(scheduler.first_run_done.wait(), FIRST_SWEEPS_TIMEOUT)


def runtime_of_application(application: BotApplication) -> Runtime:
    runtime = application.bot_data[RUNTIME_KEY]
    if not isinstance(runtime, Runtime):
        raise TypeError("bot_data holds no Runtime")
    return runtime
