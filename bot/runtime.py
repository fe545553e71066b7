"""What every handler and job shares while the bot runs: settings, clock, database, delivery."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.menus import Menu
from bot.settings import DatabaseSettings, Settings
from models.database import Database

if TYPE_CHECKING:
    from bot.conversation.engine import Flow
    from bot.transport.delivery import OutboxWorker

RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    database: Database | None = None
    delivery: OutboxWorker | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    handled: set[int] = field(default_factory=set)
    """Updates a handler committed as handled, so the after-update step need not write again."""
    flows: dict[str, Flow] = field(default_factory=dict)
    """The conversations the features registered, by name."""
    menu: Menu = field(default_factory=Menu)
    """The menu entries the features declared."""

    @property
    def db(self) -> Database:
        if self.database is None:
            raise RuntimeError("the database is opened in post_init; the bot has not started")
        return self.database

    def wake_delivery(self) -> None:
        if self.delivery is not None:
            self.delivery.wake()


def runtime_of(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    runtime = context.application.bot_data[RUNTIME_KEY]
    if not isinstance(runtime, Runtime):
        raise TypeError("bot_data holds no Runtime")
    return runtime


def being_cancelled() -> bool:
    """Whether the running task was asked to stop.

    Drivers may turn a cancellation into their own error (asyncpg's arrives as a SQLAlchemy
    error); a retry loop that catches those must check this, or shutdown waits on it forever.
    """
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def open_database(settings: DatabaseSettings) -> Database:
    return Database(
        settings.url,
        echo=settings.echo,
        busy_timeout_ms=settings.busy_timeout_ms,
        schema_name=settings.schema_name,
    )
