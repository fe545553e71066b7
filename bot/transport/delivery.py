"""The outbox worker: delivers committed rows under Telegram's limits, each exactly once.

Per chat only one call is in flight and rows go oldest first, so replies keep their order and
a kill can repeat at most the one call per chat that was in flight (sent, not yet marked).
Budgets: one global bucket, one bucket per chat; a 429 delays only its chat. Each outcome is
recorded as soon as its call returns (the smallest window for a repeat); a read of the queue
that began before that may still list the row, so rows recorded since are skipped.

A row with spooled files is sent as a multipart upload of those bytes, read again for every
attempt (a repeat after a kill uploads the same bytes); the spool goes with the row's outcome
once that is final. The buckets run on an injectable monotonic source, so tests of pacing and
of a chat's lock-out need not wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from telegram import InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.clock import Clock
from bot.settings import OutboxSettings
from bot.transport.api import SanimasBot
from bot.transport.pacing import TokenBucket
from bot.transport.shielded import being_cancelled
from models.database import Database
from models.outbox import (
    OutboxMessage,
    OutboxStatus,
    Upload,
    drop_uploads,
    uploads_of,
    with_uploads,
)
from models.users import User

log = logging.getLogger(__name__)

TELEGRAM_GLOBAL_LIMIT = 30
"""Messages per second Telegram allows in all; the global bucket's burst stays under it."""
JITTER_MARGIN = 0.9
"""Per-chat refill runs at 90 % of the configured rate: requests leave a few milliseconds apart
in time but may arrive closer together, and Telegram counts arrivals."""
UNPACED = frozenset({"answerCallbackQuery", "setMyCommands", "deleteMyCommands", "sendChatAction"})
NOT_MODIFIED = "message is not modified"
MAX_CHAT_BUCKETS = 5000
HEADS_PER_READ = 100
"""Chats looked at per read of the queue: more than a second's budget, so reading stays cheap
with hundreds of chats waiting; the rest come on the next reads, oldest first."""


@dataclass(frozen=True)
class Outcome:
    status: OutboxStatus
    message_id: int | None = None
    error: str | None = None
    retry_in: float = 0.0
    counts_attempt: bool = True
    blocked: bool = False


@dataclass(frozen=True)
class _Queue:
    """One read of the queue: the head rows, what their edits target, which carry files."""

    heads: list[OutboxMessage]
    targets: dict[int | None, int | None]
    uploading: set[int]


class OutboxWorker:
    def __init__(
        self,
        *,
        database: Database,
        bot: SanimasBot,
        clock: Clock,
        settings: OutboxSettings,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db, self._bot, self._clock, self._settings = database, bot, clock, settings
        self._monotonic = monotonic
        burst = max(1.0, min(3.0, TELEGRAM_GLOBAL_LIMIT - settings.global_rate))
        self._global = TokenBucket(settings.global_rate, burst)
        self._chats: dict[int, TokenBucket] = {}
        self._busy: set[int] = set()
        self._finished: set[int] = set()
        """Rows recorded since the last read of the queue began, which that read may list."""
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                delay = await self._dispatch_due()
            except Exception:  # the worker must outlive any single bug; log it and go on
                if being_cancelled():
                    raise
                log.exception("the outbox worker failed; trying again")
                delay = self._settings.poll_seconds
            await self._idle(delay)

    async def stop(self) -> None:
        """Stop taking rows and let the calls in flight finish and be recorded."""
        self._stopped.set()
        self.wake()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _idle(self, delay: float) -> None:
        if delay <= 0 or self._wake.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def _dispatch_due(self) -> float:
        """Start the calls that may go now; return how long to wait before looking again."""
        wait = self._settings.poll_seconds
        queue = await self._heads()
        for row in queue.heads:
            if self._stopped.is_set():
                break
            if row.chat_id in self._busy or row.id in self._finished:
                continue
            due_in = (row.not_before - self._clock.now()).total_seconds()
            pause = max(due_in, self._pause_for(row))
            if pause > 0:
                wait = min(wait, pause)
                continue
            global_pause = (
                0.0 if row.method in UNPACED else self._global.wait_time(self._monotonic())
            )
            if global_pause > 0:
                return global_pause
            await self._start(row, queue.targets.get(row.edits_id), row.id in queue.uploading)
        return wait

    def _pause_for(self, row: OutboxMessage) -> float:
        if row.method in UNPACED:
            return 0.0
        return self._bucket(row.chat_id).wait_time(self._monotonic())

    def _bucket(self, chat_id: int) -> TokenBucket:
        if len(self._chats) > MAX_CHAT_BUCKETS:
            self._forget_full_buckets()
        bucket = self._chats.get(chat_id)
        if bucket is None:
            rate, burst = self._settings.chat_rate * JITTER_MARGIN, float(self._settings.chat_burst)
            if chat_id < 0:
                rate = self._settings.group_per_minute / 60
            bucket = self._chats[chat_id] = TokenBucket(rate, burst)
        return bucket

    def _forget_full_buckets(self) -> None:
        """A full bucket is the same as a new one, so buckets of quiet chats need not be kept."""
        now = self._monotonic()
        full = [chat for chat, bucket in self._chats.items() if bucket.is_full(now)]
        for chat in full:
            del self._chats[chat]

    async def _heads(self) -> _Queue:
        """The oldest pending row of every chat, direct replies before bulk messages, the
        Telegram message ids of the messages those rows edit, and which rows upload files."""
        self._finished.clear()
        async with self._db.transaction() as session:
            oldest = (
                select(func.min(OutboxMessage.id))
                .where(OutboxMessage.status == OutboxStatus.PENDING)
                .group_by(OutboxMessage.chat_id)
            )
            rows = await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.id.in_(oldest))
                .order_by(OutboxMessage.bulk, OutboxMessage.id)
                .limit(HEADS_PER_READ)
            )
            heads = list(rows)
            edited = {row.edits_id for row in heads if row.edits_id is not None}
            targets: dict[int | None, int | None] = {}
            if edited:
                found = await session.execute(
                    select(OutboxMessage.id, OutboxMessage.message_id).where(
                        OutboxMessage.id.in_(edited)
                    )
                )
                targets.update((target_id, message_id) for target_id, message_id in found.all())
            uploading = await with_uploads(session, outbox_ids={row.id for row in heads})
            return _Queue(heads, targets, uploading)

    async def _start(self, row: OutboxMessage, target: int | None, uploads: bool) -> None:
        if row.method not in UNPACED:
            now = self._monotonic()
            self._global.take(now)
            self._bucket(row.chat_id).take(now)
        self._busy.add(row.chat_id)
        await self._slots.acquire()
        task = asyncio.create_task(self._deliver(row, target, uploads))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, row: OutboxMessage, target: int | None, uploads: bool) -> None:
        try:
            outcome = await self._attempt(row, target, uploads)
            await self._record(row, outcome)
        except Exception:
            if being_cancelled():
                raise
            log.exception("delivering outbox row %s failed unexpectedly", row.id)
        finally:
            self._slots.release()
            self._finished.add(row.id)
            self._busy.discard(row.chat_id)
            self.wake()

    async def _attempt(self, row: OutboxMessage, target: int | None, uploads: bool) -> Outcome:
        params: dict[str, Any] = dict(row.params)
        if row.edits_id is not None:
            if target is None:
                return Outcome(OutboxStatus.FAILED, error="the message to edit was never sent")
            params["message_id"] = target
        if uploads:
            async with self._db.transaction() as session:
                files = await uploads_of(session, outbox_id=row.id)
            params.update((field, _input_file(upload)) for field, upload in files.items())
        try:
            result = await self._bot.call(row.method, params)
        except RetryAfter as error:
            seconds = _seconds(error.retry_after)
            self._bucket(row.chat_id).block_until(self._monotonic() + seconds)
            return Outcome(OutboxStatus.PENDING, retry_in=seconds, counts_attempt=False)
        except Forbidden as error:
            return Outcome(OutboxStatus.FAILED, error=error.message, blocked=True)
        except BadRequest as error:
            if NOT_MODIFIED in error.message:
                log.warning("outbox row %s edited a message into what it was", row.id)
                return Outcome(OutboxStatus.SENT)
            return Outcome(OutboxStatus.FAILED, error=error.message)
        except InvalidToken:
            log.error("Telegram refused the bot token; outbox row %s waits", row.id)
            return Outcome(OutboxStatus.PENDING, retry_in=self._settings.max_backoff_seconds)
        except NetworkError as error:
            return self._retry_or_fail(row, error.message)
        return Outcome(OutboxStatus.SENT, message_id=_message_id(result))

    def _retry_or_fail(self, row: OutboxMessage, reason: str) -> Outcome:
        if row.attempts + 1 >= self._settings.max_attempts:
            return Outcome(OutboxStatus.FAILED, error=f"gave up: {reason}")
        backoff = min(self._settings.max_backoff_seconds, 2.0**row.attempts)
        return Outcome(OutboxStatus.PENDING, retry_in=backoff * random.uniform(0.8, 1.2))

    async def _record(self, row: OutboxMessage, outcome: Outcome) -> None:
        now = self._clock.now()
        values: dict[str, Any] = {
            "status": outcome.status,
            "attempts": row.attempts + (1 if outcome.counts_attempt else 0),
            "error": outcome.error,
        }
        if outcome.status is OutboxStatus.SENT:
            values.update(sent_at=now, message_id=outcome.message_id)
        elif outcome.status is OutboxStatus.PENDING:
            values["not_before"] = now + timedelta(seconds=outcome.retry_in)
        async with self._db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.PENDING)
                .values(**values)
            )
            if outcome.status is not OutboxStatus.PENDING:
                await drop_uploads(session, outbox_ids=[row.id])
            if outcome.blocked:
                await _mark_blocked(session, chat_id=row.chat_id)


async def _mark_blocked(session: Any, *, chat_id: int) -> None:
    """The user blocked the bot: remember it and give up what still waits for that chat."""
    await session.execute(update(User).where(User.telegram_id == chat_id).values(is_blocked=True))
    waiting = select(OutboxMessage.id).where(
        OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING
    )
    await drop_uploads(session, outbox_ids=waiting)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.FAILED, error="Forbidden: bot was blocked by the user")
    )


def _input_file(upload: Upload) -> InputFile:
    """The spooled bytes as PTB's multipart file, with the content type they were queued with."""
    file = InputFile(upload.content, filename=upload.filename)
    file.mimetype = upload.content_type
    return file


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def _message_id(result: object) -> int | None:
    if isinstance(result, dict) and isinstance(result.get("message_id"), int):
        return int(result["message_id"])
    return None
