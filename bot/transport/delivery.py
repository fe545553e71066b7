"""The outbox worker: delivers committed rows under Telegram's limits, each exactly once.

Rows come from memory: every transaction that adds outbox rows hands them to the worker once
it has committed (`Database.listen_enqueued`). The first time a chat is handed a row the
worker reads that chat's pending rows by the queue's index; after that, rows added one by one
for it are taken as they were committed, with no read. A bounded read of the queue's heads
once every `poll_seconds` remains, for rows other processes wrote (the CLI) and for those left
by the last run; a chat where it finds a row the worker did not know is read again.

Per chat only one call is in flight and rows go oldest first, so replies keep their order.
Before a call goes out its row is claimed in the database, and a chat's next row is claimed
no earlier than in the transaction that records the outcome of its last call, so a kill
repeats at most the one call per chat that was in flight, and that repeat is known: a row
claimed again without an outcome is marked `repeat_possible`. Calls whose repeat does no harm
(`UNCLAIMED`: a button's answer, a chat action, the command list) go out without a claim.
Claims and outcomes are written by one committer in group commits: what gathered in a few
milliseconds goes in one transaction, and while the global budget holds rows back, outcomes
wait for the next claim (at most `LINGER_SECONDS`). A claim also checks that the row still
waits and is due (a cancelled notice, quiet hours); a refused row's chat is read again.

Budgets: one global bucket, one bucket per chat; a 429 delays only its chat; bulk rows yield
to direct ones. The global budget goes round the chats that wait (fair queuing): a chat's next
row queues behind every other chat's row that was ready when its last call left, so when many
chats wait at once each one's first reply goes before any one's second.

A row with spooled files is sent as a multipart upload of those bytes, read again for every
attempt (a repeat after a kill uploads the same bytes); the spool goes with the row's outcome
once that is final. The buckets run on an injectable monotonic source, so tests of pacing and
of a chat's lock-out need not wait.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.clock import Clock
from bot.settings import OutboxSettings
from bot.transport.api import SanimasBot
from bot.transport.pacing import TokenBucket
from bot.transport.shielded import being_cancelled
from models.database import Database
from models.outbox import (
    OutboxFile,
    OutboxMessage,
    OutboxStatus,
    Upload,
    drop_uploads,
    uploads_of,
)
from models.users import User

log = logging.getLogger(__name__)

TELEGRAM_GLOBAL_LIMIT = 30
"""Messages per second Telegram allows in all; the global bucket's burst stays under it."""
JITTER_MARGIN = 0.9
"""Per-chat refill runs at 90 % of the configured rate: requests leave a few milliseconds apart
in time but may arrive closer together, and Telegram counts arrivals."""
UNPACED = frozenset({"answerCallbackQuery", "setMyCommands", "deleteMyCommands", "sendChatAction"})
UNCLAIMED = UNPACED
"""Calls whose repeat does no harm (Telegram refuses a second answer to one button press; the
rest set a state): they go out without a claim written first, which saves a transaction per
button press. A kill may repeat one unknown to `repeat_possible`; their chat still waits for
their outcome before its next claim."""
NOT_MODIFIED = "message is not modified"
MAX_CHAT_BUCKETS = 5000
HEADS_PER_READ = 200
"""Chats the safety-net read looks at: more than a second's budget, so the read stays cheap
with thousands of chats waiting; the rest come on the next reads, oldest first."""
ROWS_PER_LOAD = 2000
"""Pending rows read at most per read of handed chats."""
MAX_SYNCED_CHATS = 20_000
"""Chats remembered as read in full; past that the memory starts again (their next rows are
read, once)."""
GROUP_COMMIT_SECONDS = 0.004
"""How long claims and outcomes gather before they are written in one transaction."""
LINGER_SECONDS = 0.1
"""How long outcomes alone may wait for the next claim while the global budget holds rows
back, so that a paced delivery costs one transaction, not two."""
SENT_IDS_KEPT = 10_000
"""Message ids of rows this worker sent, kept so that an edit of one needs no read."""
COMMIT_RETRY_SECONDS = 1.0
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
_RECORD = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"), OUTBOX.c.status == OutboxStatus.PENDING)
    .values(
        status=bindparam("new_status"),
        attempts=bindparam("new_attempts"),
        error=bindparam("new_error"),
        sent_at=bindparam("new_sent_at"),
        message_id=bindparam("new_message_id"),
        not_before=bindparam("new_not_before"),
        claimed_at=None,
    )
)
"""Outcomes, one parameter set per row. This statement and the next are built once, so that
SQLAlchemy neither builds them nor computes their cache keys again at every commit."""
_CLAIM = (
    update(OUTBOX)
    .where(
        OUTBOX.c.id.in_(bindparam("claimed_ids", expanding=True)),
        OUTBOX.c.status == OutboxStatus.PENDING,
        OUTBOX.c.not_before <= bindparam("due_by"),
    )
    .values(
        claimed_at=bindparam("claimed_now"),
        repeat_possible=or_(OUTBOX.c.repeat_possible, OUTBOX.c.claimed_at.is_not(None)),
    )
    .returning(OUTBOX.c.id)
)
"""Claims: the rows that still wait and are due, marked as started."""


@dataclass(frozen=True)
class Outcome:
    status: OutboxStatus
    message_id: int | None = None
    error: str | None = None
    retry_in: float = 0.0
    counts_attempt: bool = True
    blocked: bool = False


@dataclass
class Row:
    """A pending outbox row as the worker keeps it in memory."""

    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    edits_id: int | None
    bulk: bool
    attempts: int
    not_before: datetime
    uploads: bool


@dataclass
class _Claimed:
    row: Row
    target: int | None = None


@dataclass
class _Batch:
    """What the committer writes in one transaction, and what it learnt."""

    outcomes: list[tuple[Row, Outcome]] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    claimed: list[_Claimed] = field(default_factory=list)


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
        self._wire = TokenBucket(settings.global_rate, burst)
        """The global budget again, taken as each call leaves: a claim's commit delays calls
        unevenly, and calls held up together must not leave together."""
        self._leaving = asyncio.Lock()
        self._chats: dict[int, TokenBucket] = {}
        # rows known to wait, per chat oldest first, and by id
        self._rows: dict[int, list[Row]] = {}
        self._known: dict[int, Row] = {}
        self._busy: set[int] = set()
        """Chats whose head row is claimed or on the wire, or whose call's outcome asks for a
        retry that is not committed yet."""
        self._finished: set[int] = set()
        """Rows settled since the last read of the queue began, which that read may list."""
        self._recording: set[int] = set()
        """Rows settled in memory whose outcome is not committed yet: a read lists them."""
        # each chat's head is in one of three heaps, under the token of its placing
        self._tokens = itertools.count()
        self._placed: dict[int, tuple[int, int]] = {}
        self._ready: list[tuple[bool, int, int, int, int]] = []
        """Ready heads by (bulk, turn, id, token, chat); a head's turn is the later of the
        turn now being served and one past its chat's last."""
        self._turn = 0
        self._next_turn: dict[int, int] = {}
        """Kept while the chat has rows in memory: one that has nothing left waits no turn."""
        self._not_due: list[tuple[datetime, int, int, int]] = []
        self._chat_waiting: list[tuple[float, int, int, int]] = []
        # work handed in and work for the committer
        self._handed: set[int] = set()
        self._reload: set[int] = set()
        self._synced: set[int] = set()
        """Chats whose waiting rows were all read since they were last forgotten: rows this
        process adds for them need no read."""
        self._claims: list[Row] = []
        self._outcomes: list[tuple[Row, Outcome]] = []
        self._commit_wake = asyncio.Event()
        self._held_until = 0.0
        """While the global budget holds a ready row back (monotonic time): a claim is due."""
        self._sent: OrderedDict[int, int] = OrderedDict()
        """Row id to message id of rows this worker sent, the newest last."""
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = asyncio.Event()
        self._closing = False
        self._done = asyncio.Event()
        self._running = False
        self.safety_reads = 0
        """How many bounded reads of the queue the worker made (start-up and safety net)."""

    # -- the outside -------------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def hand(self, ids: Sequence[int], rows: Sequence[OutboxMessage] = ()) -> None:
        """Rows just committed by this process: deliver them without waiting for a read.

        Of a chat whose waiting rows were read in full since it was last forgotten, the rows
        given as objects are taken as they are; the others are read with their chat's rows,
        so that rows other processes wrote keep their place."""
        given = {row.id: row for row in rows}
        taken: list[Row] = []
        for row_id in ids:
            row = given.get(row_id)
            if row is not None and row.chat_id in self._synced and row.chat_id not in self._reload:
                taken.append(_row_of(row))
            else:
                self._handed.add(row_id)
        if taken:
            self._merge(taken)
        self._wake.set()

    async def run(self) -> None:
        self._running = True
        unlisten = self._db.listen_enqueued(self.hand)
        committer = asyncio.create_task(self._commit_loop(), name="outbox-commits")
        loop = asyncio.get_running_loop()
        next_read = loop.time()
        try:
            while not self._stopped.is_set():
                self._wake.clear()
                self._finished.clear()  # no read of the queue is under way
                try:
                    if loop.time() >= next_read:
                        next_read = loop.time() + self._settings.poll_seconds
                        await self._read_heads()
                    if self._handed or self._reload:
                        await self._read_chats()
                    delay = min(self._dispatch(), next_read - loop.time())
                except Exception:  # the worker must outlive any single bug; log it and go on
                    if being_cancelled():
                        raise
                    log.exception("the outbox worker failed; trying again")
                    delay = self._settings.poll_seconds
                await self._idle(delay)
        finally:
            unlisten()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            self._closing = True
            self._commit_wake.set()
            await asyncio.gather(committer, return_exceptions=True)
            self._done.set()

    async def stop(self) -> None:
        """Stop taking rows and let the calls in flight finish and be recorded."""
        self._stopped.set()
        self.wake()
        if self._running:
            await self._done.wait()

    async def _idle(self, delay: float) -> None:
        if delay <= 0 or self._wake.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)

    # -- what is known to wait ---------------------------------------------------------------

    async def _read_heads(self) -> None:
        """The safety net: the oldest pending row of the first chats whose oldest row is due,
        direct replies before bulk messages; chats it shows that are not known are read whole."""
        self.safety_reads += 1
        now = self._clock.now()
        oldest = (
            select(func.min(OutboxMessage.id))
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .group_by(OutboxMessage.chat_id)
        )
        async with self._db.reading() as session:
            heads = await session.execute(
                select(OutboxMessage.id, OutboxMessage.chat_id)
                .where(OutboxMessage.id.in_(oldest), OutboxMessage.not_before <= now)
                .order_by(OutboxMessage.bulk, OutboxMessage.id)
                .limit(HEADS_PER_READ)
            )
            unknown = {
                chat
                for row_id, chat in heads.all()
                if row_id not in self._known and row_id not in self._recording
            }
        self._reload.update(unknown)

    async def _read_chats(self) -> None:
        """Read the pending rows of the chats of handed rows and of chats to read again."""
        handed, self._handed = self._handed, set()
        chats, self._reload = self._reload, set()
        for chat in chats:
            self._forget_chat(chat)
        self._finished.clear()
        files = exists().where(OutboxFile.outbox_id == OutboxMessage.id).label("uploads")
        columns = (
            OutboxMessage.id,
            OutboxMessage.chat_id,
            OutboxMessage.method,
            OutboxMessage.params,
            OutboxMessage.edits_id,
            OutboxMessage.bulk,
            OutboxMessage.attempts,
            OutboxMessage.not_before,
            files,
        )
        async with self._db.reading() as session:
            if handed:
                found = await session.execute(
                    select(OutboxMessage.chat_id).where(OutboxMessage.id.in_(handed)).distinct()
                )
                chats.update(found.scalars())
            if not chats:
                return
            result = await session.execute(
                select(*columns)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.chat_id.in_(chats),
                )
                .order_by(OutboxMessage.id)
                .limit(ROWS_PER_LOAD)
            )
            rows = [Row(*values) for values in result.all()]
        if len(rows) < ROWS_PER_LOAD:  # all of these chats' waiting rows are in memory
            if len(self._synced) > MAX_SYNCED_CHATS:
                self._synced.clear()
            self._synced.update(chats)
        self._merge(rows)

    def _merge(self, rows: Iterable[Row]) -> None:
        touched: set[int] = set()
        for row in rows:
            if row.id in self._known or row.id in self._finished or row.id in self._recording:
                continue
            waiting = self._rows.setdefault(row.chat_id, [])
            bisect.insort(waiting, row, key=lambda r: r.id)
            self._known[row.id] = row
            touched.add(row.chat_id)
        for chat in touched:
            self._place(chat)

    def _forget_chat(self, chat: int) -> None:
        self._synced.discard(chat)
        if chat in self._busy:
            return  # its outcome will settle it; it is read again only after that
        for row in self._rows.pop(chat, []):
            self._known.pop(row.id, None)
        self._placed.pop(chat, None)
        self._next_turn.pop(chat, None)

    def _settle(self, row: Row) -> None:
        """The row is done (sent or failed): it leaves memory."""
        waiting = self._rows.get(row.chat_id, [])
        with contextlib.suppress(ValueError):
            waiting.remove(row)
        if not waiting:
            self._rows.pop(row.chat_id, None)
            self._next_turn.pop(row.chat_id, None)
        self._known.pop(row.id, None)
        self._finished.add(row.id)

    # -- which row goes next -----------------------------------------------------------------

    def _place(self, chat: int) -> None:
        """Put the chat's head row in the heap it belongs to now."""
        waiting = self._rows.get(chat)
        if chat in self._busy or not waiting:
            return
        head = waiting[0]
        placed = self._placed.get(chat)
        if placed is not None and placed[1] == head.id:
            return
        token = next(self._tokens)
        self._placed[chat] = (token, head.id)
        if head.not_before > self._clock.now():
            heapq.heappush(self._not_due, (head.not_before, head.id, token, chat))
            return
        pause = self._pause_for(head)
        if pause > 0:
            heapq.heappush(self._chat_waiting, (self._monotonic() + pause, head.id, token, chat))
            return
        turn = max(self._turn, self._next_turn.get(chat, 0))
        heapq.heappush(self._ready, (head.bulk, turn, head.id, token, chat))

    def _take_placed(self, row_id: int, token: int, chat: int) -> bool:
        """Whether a heap entry still stands for its chat's head; it is taken out if so."""
        if chat in self._busy or self._placed.get(chat) != (token, row_id):
            return False
        del self._placed[chat]
        return True

    def _dispatch(self) -> float:
        """Claim the rows that may go now; return how long to wait before looking again."""
        now, moment = self._clock.now(), self._monotonic()
        while self._not_due and self._not_due[0][0] <= now:
            _, row_id, token, chat = heapq.heappop(self._not_due)
            if self._take_placed(row_id, token, chat):
                self._place(chat)
        while self._chat_waiting and self._chat_waiting[0][0] <= moment:
            _, row_id, token, chat = heapq.heappop(self._chat_waiting)
            if self._take_placed(row_id, token, chat):
                self._place(chat)
        wait = self._settings.poll_seconds
        batch: list[Row] = []
        while self._ready and len(self._busy) < self._settings.concurrency:
            if self._stopped.is_set():
                break
            _, turn, row_id, token, chat = self._ready[0]
            if chat in self._busy or self._placed.get(chat) != (token, row_id):
                heapq.heappop(self._ready)
                continue
            row = self._rows[chat][0]
            if row.id != row_id:
                heapq.heappop(self._ready)
                continue
            if row.method not in UNPACED:
                global_pause = self._global.wait_time(moment)
                if global_pause > 0:
                    wait = global_pause
                    self._held_until = moment + global_pause
                    break
                self._global.take(moment)
            heapq.heappop(self._ready)
            del self._placed[chat]
            self._busy.add(chat)
            self._take_turn(chat, turn)
            if row.method in UNCLAIMED and row.edits_id is None:
                self._start(row, None)
            else:
                batch.append(row)
        if batch:
            self._claims.extend(batch)
            self._commit_wake.set()
        if self._not_due:
            wait = min(wait, (self._not_due[0][0] - now).total_seconds())
        if self._chat_waiting:
            wait = min(wait, self._chat_waiting[0][0] - moment)
        return wait

    def _take_turn(self, chat: int, turn: int) -> None:
        self._turn = max(self._turn, turn)
        self._next_turn[chat] = turn + 1

    def _pause_for(self, row: Row) -> float:
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

    # -- claims and outcomes, in group commits -----------------------------------------------

    async def _commit_loop(self) -> None:
        while True:
            if not (self._claims or self._outcomes):
                if self._closing:
                    return
                await self._commit_wake.wait()
                self._commit_wake.clear()
                continue
            await asyncio.sleep(GROUP_COMMIT_SECONDS)
            await self._linger()
            batch = _Batch(self._outcomes, self._claims)
            self._outcomes, self._claims = [], []
            if self._stopped.is_set():
                self._release(batch.claims)
                batch.claims = []
            try:
                await self._commit(batch)
            except Exception:
                if being_cancelled():
                    raise
                log.exception("recording outbox outcomes failed; trying again")
                self._outcomes[:0] = batch.outcomes
                self._release(batch.claims)
                await asyncio.sleep(COMMIT_RETRY_SECONDS)
                continue
            self._after_commit(batch)

    async def _linger(self) -> None:
        """Outcomes alone wait for the claim the global budget is about to allow, to go in its
        transaction. Only while rows are held back: then the chats whose outcomes wait could
        not have their next call sooner anyway, as the budget goes round the waiting chats."""
        held = self._held_until - self._monotonic()
        if held <= 0 or self._claims or not self._outcomes:
            return
        loop = asyncio.get_running_loop()
        # a little past the moment itself: the dispatcher's timer for it must fire first
        deadline = loop.time() + min(held + 2 * GROUP_COMMIT_SECONDS, LINGER_SECONDS)
        while not (self._claims or self._closing or self._stopped.is_set()):
            left = deadline - loop.time()
            if left <= 0:
                return
            self._commit_wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._commit_wake.wait(), timeout=left)
        if self._claims:
            await asyncio.sleep(GROUP_COMMIT_SECONDS)

    def _release(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self._busy.discard(row.chat_id)
            self._place(row.chat_id)
        self.wake()

    async def _commit(self, batch: _Batch) -> None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            if batch.outcomes:
                await self._record(session, batch.outcomes, now)
            if batch.claims:
                batch.claimed = await self._claim(session, batch.claims, now)

    async def _record(
        self, session: AsyncSession, outcomes: list[tuple[Row, Outcome]], now: datetime
    ) -> None:
        values = [_outcome_values(row, outcome, now) for row, outcome in outcomes]
        await session.execute(_RECORD, values)
        done = [
            row.id
            for row, outcome in outcomes
            if row.uploads and outcome.status is not OutboxStatus.PENDING
        ]
        if done:
            await drop_uploads(session, outbox_ids=done)
        for chat in {row.chat_id for row, outcome in outcomes if outcome.blocked}:
            await _mark_blocked(session, chat_id=chat)

    async def _claim(self, session: AsyncSession, rows: list[Row], now: datetime) -> list[_Claimed]:
        """Mark the rows as started before their calls go out; those no longer waiting or not
        yet due (cancelled, held for quiet hours since they were read) are left out."""
        claimed = await session.execute(
            _CLAIM, {"claimed_ids": [row.id for row in rows], "due_by": now, "claimed_now": now}
        )
        ids = set(claimed.scalars())
        going = [_Claimed(row) for row in rows if row.id in ids]
        edited = {
            c.row.edits_id
            for c in going
            if c.row.edits_id is not None and c.row.edits_id not in self._sent
        }
        if edited:
            found = await session.execute(
                select(OutboxMessage.id, OutboxMessage.message_id).where(
                    OutboxMessage.id.in_(edited)
                )
            )
            targets: dict[int, int | None] = dict(found.all())
        else:
            targets = {}
        for one in going:
            if one.row.edits_id is not None:
                one.target = self._sent.get(one.row.edits_id, targets.get(one.row.edits_id))
        return going

    def _after_commit(self, batch: _Batch) -> None:
        for row, outcome in batch.outcomes:
            if row.id in self._recording:  # settled when its answer came
                self._recording.discard(row.id)
                continue
            if outcome.blocked:
                self._busy.discard(row.chat_id)
                self._settle(row)
                self._forget_chat(row.chat_id)
            else:  # to be tried again
                row.attempts += 1 if outcome.counts_attempt else 0
                row.not_before = self._clock.now() + timedelta(seconds=outcome.retry_in)
            self._busy.discard(row.chat_id)
            self._place(row.chat_id)
        going = {one.row.id for one in batch.claimed}
        for row in batch.claims:
            if row.id not in going:  # settled or moved elsewhere: read its chat again
                self._busy.discard(row.chat_id)
                self._forget_chat(row.chat_id)
                self._reload.add(row.chat_id)
        for one in batch.claimed:
            self._start(one.row, one.target)
        self.wake()

    def _start(self, row: Row, target: int | None) -> None:
        task = asyncio.create_task(self._deliver(row, target))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _remember_sent(self, row_id: int, message_id: int) -> None:
        self._sent[row_id] = message_id
        if len(self._sent) > SENT_IDS_KEPT:
            self._sent.popitem(last=False)

    # -- one call ----------------------------------------------------------------------------

    async def _deliver(self, row: Row, target: int | None) -> None:
        try:
            outcome = await self._attempt(row, target)
        except Exception:
            if being_cancelled():
                raise
            log.exception("delivering outbox row %s failed unexpectedly", row.id)
            # left claimed: whether the call went out is unknown, so a resend counts as a repeat
            row.not_before = self._clock.now() + timedelta(seconds=self._settings.poll_seconds)
            self._release([row])
            return
        self._outcomes.append((row, outcome))
        if outcome.status is not OutboxStatus.PENDING and not outcome.blocked:
            self._settle_answered(row, outcome)
        self._commit_wake.set()

    def _settle_answered(self, row: Row, outcome: Outcome) -> None:
        """A call's final answer frees its chat for its next row at once: that row's claim
        goes in the same transaction as this outcome or a later one (a failed commit puts
        its outcomes before the next batch and releases its claims), so a chat still has
        no more than one call whose outcome is not written."""
        self._recording.add(row.id)
        self._settle(row)
        if outcome.message_id is not None:
            self._remember_sent(row.id, outcome.message_id)
        self._busy.discard(row.chat_id)
        self._place(row.chat_id)
        self.wake()

    async def _attempt(self, row: Row, target: int | None) -> Outcome:
        params: dict[str, Any] = dict(row.params)
        if row.edits_id is not None:
            if target is None:
                return Outcome(OutboxStatus.FAILED, error="the message to edit was never sent")
            params["message_id"] = target
        if row.uploads:
            async with self._db.reading() as session:
                files = await uploads_of(session, outbox_id=row.id)
            params.update((name, _input_file(upload)) for name, upload in files.items())
        if row.method not in UNPACED:
            await self._leave(row.chat_id)
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

    async def _leave(self, chat_id: int) -> None:
        """Take the call's tokens as it leaves: the chat's (its claim found one there, and only
        this call of the chat is on its way) and the global one, waiting for that if needed."""
        async with self._leaving:  # one at a time, so one wait is enough
            pause = self._wire.wait_time(self._monotonic())
            if pause > 0:
                await asyncio.sleep(pause)
            now = self._monotonic()
            self._wire.take(now)
            self._bucket(chat_id).take(now)

    def _retry_or_fail(self, row: Row, reason: str) -> Outcome:
        if row.attempts + 1 >= self._settings.max_attempts:
            return Outcome(OutboxStatus.FAILED, error=f"gave up: {reason}")
        backoff = min(self._settings.max_backoff_seconds, 2.0**row.attempts)
        return Outcome(OutboxStatus.PENDING, retry_in=backoff * random.uniform(0.8, 1.2))


def _row_of(message: OutboxMessage) -> Row:
    return Row(
        id=message.id,
        chat_id=message.chat_id,
        method=message.method,
        params=message.params,
        edits_id=message.edits_id,
        bulk=message.bulk,
        attempts=message.attempts,
        not_before=message.not_before,
        uploads=False,
    )


def _outcome_values(row: Row, outcome: Outcome, now: datetime) -> dict[str, Any]:
    sent = outcome.status is OutboxStatus.SENT
    waits = outcome.status is OutboxStatus.PENDING
    return {
        "row_id": row.id,
        "new_status": outcome.status,
        "new_attempts": row.attempts + (1 if outcome.counts_attempt else 0),
        "new_error": outcome.error,
        "new_sent_at": now if sent else None,
        "new_message_id": outcome.message_id if sent else None,
        "new_not_before": now + timedelta(seconds=outcome.retry_in) if waits else row.not_before,
    }


async def _mark_blocked(session: AsyncSession, *, chat_id: int) -> None:
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
