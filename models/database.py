"""The engine, one session scope per unit of work, and the schema's migration state."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from domain.errors import TextError

log = logging.getLogger(__name__)


class SchemaOutOfDateError(TextError):
    """The database is behind the code's migrations."""


DEFAULT_POOL_SIZE = 20
"""Connections per engine: the outbox worker's default concurrency (16) plus room for the
updates, sweeps and jobs running beside it."""

APPLICATION_NAME = "sanimas"
"""PostgreSQL's `application_name` of the bot's connections, followed by `-<pid>`."""

READ_ONLY = "sanimas_read_only"
"""Execution option of a connection that only reads (see `Database.reading`)."""
ENQUEUED = "sanimas_enqueued"
"""Key in `session.info` of the outbox ids a transaction added (`models.outbox.note_enqueued`)."""
ENQUEUED_ROWS = "sanimas_enqueued_rows"
"""Key in `session.info` of the outbox rows (mapped objects) a transaction added one by one
and that the worker may take as they are, so that it need not read them."""

BEFORE_COMMIT = "sanimas_before_commit"
"""Key in `session.info` of steps to await, in order, just before the transaction commits
(never when it is rolled back): writes a transaction put off so that they could go in one
statement with a later one (`models.outbox.defer_first`)."""
BeforeCommit = Callable[[AsyncSession], Awaitable[None]]

EnqueuedListener = Callable[[Sequence[int], Sequence[Any]], None]
"""Called with the ids of a committed transaction's new outbox rows, and those of them it
added one by one as mapped objects in their committed state."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "models:migrations")
    return config


class Database:
    """Owns the engine; every update, job or command opens one `transaction()`."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        busy_timeout_ms: int = 5000,
        schema_name: str | None = None,
        pool_size: int = DEFAULT_POOL_SIZE,
        writer_wait_ms: int | None = None,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # A fixed pool, no overflow: a connection opened beyond the pool and closed on return
        # costs a new aiosqlite thread (or a PostgreSQL backend) each time. No pre-ping either
        # (a round trip per checkout): a connection found dead raises a disconnect error, the
        # pool then drops every connection opened before it, so only the transactions in
        # flight fail (as any failed transaction does) and the next ones connect afresh.
        options: dict[str, Any] = {"echo": echo, "pool_size": pool_size, "max_overflow": 0}
        if not self.is_sqlite:
            # Named after the process, so an operator (or a test) can tell its connections.
            server_settings = {"application_name": f"{APPLICATION_NAME}-{os.getpid()}"}
            if schema_name:
                server_settings["search_path"] = schema_name
            options["connect_args"] = {"server_settings": server_settings}
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            _tune_sqlite(self.engine, busy_timeout_ms)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._enqueued_listeners: list[EnqueuedListener] = []
        self._writer_wait = (busy_timeout_ms if writer_wait_ms is None else writer_wait_ms) / 1000
        self._writer = asyncio.Lock() if self.is_sqlite else None
        """SQLite has one writer at a time: this process's writers queue here rather than in
        SQLite's busy handler, which sleeps and retries (up to 100 ms a nap) while the lock is
        held, so a burst of updates would spend its time asleep. Other processes (the CLI)
        still meet the busy timeout. A writer waits here at most `writer_wait_ms` (by default the
        busy timeout), then fails as a locked SQLite would."""

    def listen_enqueued(self, listener: EnqueuedListener) -> Callable[[], None]:
        """Call `listener` with the outbox ids of every transaction that added rows, once it has
        committed (never for one rolled back); returns the function that stops it."""
        self._enqueued_listeners.append(listener)
        return lambda: self._enqueued_listeners.remove(listener)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Commit on success, roll back on any exception: the one place commits happen.

        After the commit, the outbox rows the transaction added are handed to the listeners.
        """
        async with self._write_turn(), self.sessions() as session:
            async with session.begin():
                yield session
                for step in session.info.pop(BEFORE_COMMIT, ()):
                    await step(session)
            enqueued = session.info.pop(ENQUEUED, None)
            rows = session.info.pop(ENQUEUED_ROWS, ())
        if enqueued:
            self._hand_enqueued(enqueued, rows)

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        """On SQLite, wait for this process's other writers first (see `_writer`); a caller's
        retry of a locked database applies to a wait that runs out."""
        if self._writer is None:
            yield
            return
        try:
            async with asyncio.timeout(self._writer_wait):
                await self._writer.acquire()
        except TimeoutError:
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError("BEGIN IMMEDIATE", None, locked) from None
        try:
            yield
        finally:
            self._writer.release()

    def _hand_enqueued(self, ids: Sequence[int], rows: Sequence[Any]) -> None:
        for listener in list(self._enqueued_listeners):
            try:
                listener(ids, rows)
            except Exception:  # a committed transaction stays committed; the poll finds them
                log.exception("handing outbox rows %s to a listener failed", ids[:5])

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A transaction that only reads, for long work such as an export: on SQLite it begins
        deferred, so it takes no write lock and the bot's updates go on meanwhile (WAL lets
        readers and a writer work side by side); it is rolled back at the end."""
        async with self.sessions() as session:
            await session.connection(execution_options={READ_ONLY: True})
            try:
                yield session
            finally:
                await session.rollback()

    async def dispose(self) -> None:
        await self.engine.dispose()

    async def upgrade(self) -> None:
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def revision(self) -> tuple[str | None, str | None]:
        """The database's revision and the code's head revision."""
        async with self.engine.connect() as connection:
            current = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        return current, head

    async def check_schema(self) -> None:
        current, head = await self.revision()
        if current != head:
            raise SchemaOutOfDateError(
                "cli-schema-behind", {"current": current or "-", "head": head or "-"}
            )


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _tune_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    """WAL for concurrent readers, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    another writer committed in between; taking the write lock at BEGIN makes writers queue
    on the busy timeout instead. Transactions stay short and never span a Telegram call.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
