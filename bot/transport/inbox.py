"""Durable intake: each update is stored before Telegram can be told it arrived.

PTB's Updater confirms a batch with its next getUpdates and the webhook answers 200, both
only after `update_queue.put` returned. So `put` stores the raw update first; a repeated
`update_id` is dropped there. With long polling the whole batch `getUpdates` returned is
stored at once, in one multi-row insert committed before `get_updates` returns (and so
before any `put` of it): `put` then only lets the new ones through. Updates stored but never
handled are replayed at start-up.
Stopping the Updater cancels a `put` in progress; the store itself still runs to its commit
(see `bot.tasks`), and the update, not confirmed, comes again and is dropped as known.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, Update
from telegram.ext import CallbackContext

from bot.runtime import Runtime, runtime_of
from bot.transport.shielded import UncancelledWork, being_cancelled
from models.inbox import INBOX, mark_handled, unhandled_updates

log = logging.getLogger(__name__)
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)
_INSERTS: dict[str, Insert] = {
    "sqlite": sqlite_insert(INBOX).on_conflict_do_nothing().returning(INBOX.c.update_id),
    "postgresql": pg_insert(INBOX).on_conflict_do_nothing().returning(INBOX.c.update_id),
}
"""Built once per dialect; a batch's rows go as one multi-row INSERT (SQLAlchemy's
"insertmanyvalues"), so its size does not make a new statement to build and key."""
MAX_ERROR_CHARS = 1000
MASKED = "<hidden>"


class DurableUpdateQueue(asyncio.Queue[object]):
    """An update queue whose `put` commits the update to the inbox table first."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self._runtime = runtime
        self._storing = UncancelledWork("storing an update")
        self._batched: dict[int, bool] = {}
        """Updates of a stored `getUpdates` batch not yet put: whether each was new."""

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            new = self._batched.pop(item.update_id, None)
            if new is None:
                new = await self._storing.run(self._store([item])) == {item.update_id}
            if not new:
                log.debug("update %s was stored before; dropped", item.update_id)
                return
        await super().put(item)

    async def store_batch(self, updates: list[Update]) -> None:
        """Store a `getUpdates` batch in one transaction, for the `put`s that follow."""
        if not updates:
            return
        new = await self._storing.run(self._store(updates))
        for update in updates:
            self._batched[update.update_id] = update.update_id in new

    @property
    def storing(self) -> int:
        """How many updates are being stored right now."""
        return len(self._storing)

    async def finish_storing(self) -> None:
        """Wait for the stores in progress; call before the database closes."""
        await self._storing.finish()

    async def replay(self, bot: Bot) -> int:
        """Queue the updates stored before a stop but not handled; returns how many."""
        await self._runtime.ready.wait()
        async with self._runtime.db.transaction() as session:
            rows = await unhandled_updates(session)
        for row in rows:
            await super().put(Update.de_json(row.payload, bot))
        return len(rows)

    async def _store(self, updates: list[Update]) -> set[int]:
        """Insert the updates whose ids are unknown, returning those ids; never raises (that
        would stop polling)."""
        await self._runtime.ready.wait()
        delays = iter(RETRY_SECONDS)
        while True:
            try:
                return await self._insert(updates)
            except SQLAlchemyError:
                if being_cancelled():
                    raise
                delay = next(delays, RETRY_SECONDS[-1])
                ids = ", ".join(str(update.update_id) for update in updates)
                log.exception("storing updates %s failed; retrying in %s s", ids, delay)
                await asyncio.sleep(delay)

    async def _insert(self, updates: list[Update]) -> set[int]:
        db = self._runtime.db
        now = self._runtime.clock.now()
        rows: list[dict[str, Any]] = [
            {"update_id": update.update_id, "payload": update.to_dict(), "received_at": now}
            for update in updates
        ]
        statement = _INSERTS["sqlite" if db.is_sqlite else "postgresql"]
        async with db.transaction() as session:
            result = await session.execute(statement, rows)
            return set(result.scalars())


async def finish_update(runtime: Runtime, update: Update) -> None:
    """Mark an update handled when no handler claimed it, or a handler failed (then with what
    went wrong)."""
    error = runtime.failures.pop(update.update_id, None)
    if update.update_id in runtime.handled:
        runtime.handled.discard(update.update_id)
        return
    async with runtime.db.transaction() as session:
        await mark_handled(session, update_id=update.update_id, at=runtime.clock.now(), error=error)


async def remember_failure(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Keep the failed update's error for its inbox row; `finish_update` writes it."""
    if isinstance(update, Update) and context.error is not None:
        runtime = runtime_of(context)
        runtime.failures[update.update_id] = describe_failure(
            context.error, token=runtime.settings.telegram.token
        )


def describe_failure(error: BaseException, *, token: SecretStr | None) -> str:
    """The error's type and message, the bot token masked, cut to a readable length."""
    text = f"{type(error).__name__}: {error}"
    secret = token.get_secret_value() if token is not None else ""
    if secret:
        text = text.replace(secret, MASKED)
    return text[:MAX_ERROR_CHARS]
