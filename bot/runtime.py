"""What every handler and job shares while the bot runs: settings, clock, database, delivery."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.settings import DatabaseSettings, Settings
from models.database import Database


class Delivery(Protocol):
    """The outbox worker as the runtime sees it (`bot.transport.delivery.OutboxWorker`)."""

    def wake(self) -> None: ...

    async def stop(self) -> None: ...


RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    database: Database | None = None
    delivery: Delivery | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    handled: set[int] = field(default_factory=set)
    """Updates a handler committed as handled, so the after-update step need not write again."""
    failures: dict[int, str] = field(default_factory=dict)
    """What went wrong with an update whose handler raised, for its inbox row."""

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


def open_database(settings: DatabaseSettings) -> Database:
    return Database(
        settings.url,
        echo=settings.echo,
        busy_timeout_ms=settings.busy_timeout_ms,
        schema_name=settings.schema_name,
    )
