"""What every handler and job shares while the bot runs: settings, clock, database, delivery."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.jobs import Jobs
from bot.menus import Menu
from bot.settings import DatabaseSettings, Settings
from models.database import Database


class Delivery(Protocol):
    """The outbox worker as the runtime sees it (`bot.transport.delivery.OutboxWorker`)."""

    def wake(self) -> None: ...

    async def stop(self) -> None: ...


if TYPE_CHECKING:
    from bot.conversation.engine import Flow


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
    flows: dict[str, Flow] = field(default_factory=dict)
    """The conversations the features registered, by name."""
    menu: Menu = field(default_factory=Menu)
    """The menu entries the features declared."""
    jobs: Jobs = field(default_factory=Jobs)
    """Work handlers started after their updates committed (charts, exports)."""
    sweep_waker: Callable[[str], None] | None = None
    """Runs one registered sweep at once (set by the sweep scheduler while it runs)."""

    @property
    def db(self) -> Database:
        if self.database is None:
            raise RuntimeError("the database is opened in post_init; the bot has not started")
        return self.database

    def wake_delivery(self) -> None:
        if self.delivery is not None:
            self.delivery.wake()

    def wake_sweep(self, name: str) -> None:
        """Run the sweep called `name` now rather than at its next interval (call it only
        after the work it is to see has been committed)."""
        if self.sweep_waker is not None:
            self.sweep_waker(name)


def runtime_of(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    runtime = context.application.bot_data[RUNTIME_KEY]
    if not isinstance(runtime, Runtime):
        raise TypeError("bot_data holds no Runtime")
    return runtime


POOL_HEADROOM = 4
"""Connections beyond the outbox worker's concurrency: updates, sweeps and jobs."""


def open_database(settings: DatabaseSettings, *, outbox_concurrency: int = 16) -> Database:
    """The engine, its pool sized for the outbox worker's concurrent deliveries plus
    `POOL_HEADROOM` (or `database.pool_size` when that is larger)."""
    return Database(
        settings.url,
        echo=settings.echo,
        busy_timeout_ms=settings.busy_timeout_ms,
        schema_name=settings.schema_name,
        pool_size=max(settings.pool_size, outbox_concurrency + POOL_HEADROOM),
    )
