"""Outgoing Bot API calls, committed with the change that caused them and delivered by a worker.

A file the bot made itself (a chart, an export) is spooled in `outbox_files` in the same
transaction as its row, so the bytes are durable before the call can be made, and stay until
the row is sent or has failed for good.

Every insert notes its row ids on the session (`note_enqueued`), and `enqueue` its row as well;
once the transaction has committed, `Database.transaction()` hands them to the outbox worker,
which delivers them without reading the queue again (it reads a chat's rows once, the first
time it is handed one). Before a call goes out its row is claimed (`claimed_at`); a row still
claimed when it is claimed again had no outcome recorded — the process died while its call may
have been on the wire — so that second call is a possible repeat (`repeat_possible`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Insert,
    LargeBinary,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    false,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId
from models.database import BEFORE_COMMIT, ENQUEUED, ENQUEUED_ROWS, BeforeCommit


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_queue", "status", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]]
    edits_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    """For an edit of a message this outbox sent: the row whose Telegram message it edits."""
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    """`kind:id` of the event, so a sweep that runs twice enqueues once."""
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(
            OutboxStatus,
            native_enum=False,
            length=8,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=OutboxStatus.PENDING,
    )
    bulk: Mapped[bool] = mapped_column(default=False)
    """Reminders and broadcasts yield to direct replies and alerts."""
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]
    """When the worker last started this row's call; cleared when its outcome is recorded."""
    repeat_possible: Mapped[bool] = mapped_column(default=False, server_default=false())
    """The row was claimed again with no outcome recorded (a kill): it may arrive twice."""


@dataclass(frozen=True)
class Upload:
    """Bytes the bot made (a PNG chart, an XLSX export), to be uploaded as a multipart file."""

    content: bytes
    filename: str
    content_type: str


class OutboxFile(Base):
    """The bytes of one upload of an outbox row, kept until the row is sent or failed."""

    __tablename__ = "outbox_files"
    __table_args__ = (UniqueConstraint("outbox_id", "field"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(BigId, ForeignKey("outbox.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    """The call's parameter the file is sent as: `photo` or `document`."""
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


_INSERTS: dict[str, Insert] = {
    "postgresql": postgresql.insert(OutboxMessage)
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(OutboxMessage),
    "sqlite": sqlite.insert(OutboxMessage)
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(OutboxMessage),
}
"""INSERT … ON CONFLICT (key) DO NOTHING RETURNING the row, per dialect: built once, the
values bound at each call, so no statement is built or keyed again for every message."""
_PAIR_INSERTS: dict[str, Insert] = {
    "postgresql": postgresql.insert(OutboxMessage).returning(OutboxMessage),
    "sqlite": sqlite.insert(OutboxMessage).returning(OutboxMessage),
}
"""INSERT … RETURNING for a deferred row and the next one, neither with a key: one statement
with two rows of VALUES, the first with the lower id (two statements when one of them sets a
column the other leaves out, such as an edit's `edits_id`)."""
DEFERRED_FIRST = "sanimas_outbox_deferred_first"
"""Key in `session.info` of the transaction's `DeferredCall`, while it waits."""


@dataclass
class DeferredCall:
    """A call that goes before any other this transaction adds, whose INSERT waits for the
    next row's so that both go in one statement (or for the commit, if none comes)."""

    values: dict[str, Any]
    row: OutboxMessage | None = None
    """The row once it is inserted."""

    @property
    def params(self) -> dict[str, Any]:
        return self.row.params if self.row is not None else self.values["params"]

    @params.setter
    def params(self, params: dict[str, Any]) -> None:
        if self.row is not None:
            self.row.params = params
        else:
            self.values["params"] = params


def defer_first(
    session: AsyncSession, *, chat_id: int, method: str, params: dict[str, Any], now: datetime
) -> DeferredCall:
    """Queue a call (no key, no files) ahead of every other row of this transaction, and put
    its INSERT off until the next row's or the commit: a button's answer and the reply to it
    cost one statement."""
    if DEFERRED_FIRST in session.info:
        raise RuntimeError("a transaction defers one call at most")
    deferred = DeferredCall(_values(NewCall(chat_id, method, params), now))
    session.info[DEFERRED_FIRST] = deferred
    steps: list[BeforeCommit] = session.info.setdefault(BEFORE_COMMIT, [])
    steps.append(insert_deferred)
    return deferred


async def insert_deferred(session: AsyncSession) -> None:
    """Insert the deferred call now, if it still waits (not inside a savepoint: it waits on)."""
    if session.in_nested_transaction():
        return
    deferred: DeferredCall | None = session.info.pop(DEFERRED_FIRST, None)
    if deferred is not None:
        deferred.row = await _insert_one(session, deferred.values, uploads=None)


@dataclass(frozen=True)
class NewCall:
    """One Bot API call's fields, files aside: what `enqueue_many` takes, and what every
    insert's row values are made from (`_values`)."""

    chat_id: int
    method: str
    params: dict[str, Any]
    key: str | None = None
    bulk: bool = False
    not_before: datetime | None = None
    edits_id: int | None = None


def _values(call: NewCall, now: datetime) -> dict[str, Any]:
    return {
        "chat_id": call.chat_id,
        "method": call.method,
        "params": call.params,
        "key": call.key,
        "edits_id": call.edits_id,
        "bulk": call.bulk,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": call.not_before or now,
        "created_at": now,
    }


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    method: str,
    params: dict[str, Any],
    now: datetime,
    key: str | None = None,
    edits_id: int | None = None,
    bulk: bool = False,
    not_before: datetime | None = None,
    uploads: Mapping[str, Upload] | None = None,
) -> OutboxMessage | None:
    """Add one Bot API call, and the bytes of its `uploads` (parameter name → file).

    With a `key` already used — even by a transaction not yet committed — nothing is added and
    None comes back: two writers of one key never fail, one of them simply adds nothing. A
    deferred call (`defer_first`) goes in first, in the same statement when it can.
    """
    call = NewCall(
        chat_id, method, params, key=key, bulk=bulk, not_before=not_before, edits_id=edits_id
    )
    values = _values(call, now)
    deferred: DeferredCall | None = session.info.get(DEFERRED_FIRST)
    if deferred is None or session.in_nested_transaction():
        # a savepoint may be rolled back while the transaction commits: the deferred call
        # waits for a row outside it, or for the commit
        return await _insert_one(session, values, uploads)
    if key is not None or uploads or method == deferred.values["method"]:
        await insert_deferred(session)
        return await _insert_one(session, values, uploads)
    del session.info[DEFERRED_FIRST]
    inserted = _PAIR_INSERTS[session.get_bind().dialect.name]
    rows: list[OutboxMessage] = list(await session.scalars(inserted, [deferred.values, values]))
    first = next(row for row in rows if row.method == deferred.values["method"])
    message = next(row for row in rows if row is not first)
    deferred.row = first
    for row in (first, message):
        _note_row(session, row)
    return message


async def _insert_one(
    session: AsyncSession, values: dict[str, Any], uploads: Mapping[str, Upload] | None
) -> OutboxMessage | None:
    inserted = _INSERTS[session.get_bind().dialect.name]
    message: OutboxMessage | None = await session.scalar(inserted, values)
    if message is None:
        return None
    _note_row(session, message, with_uploads=bool(uploads))
    for field, upload in (uploads or {}).items():
        session.add(
            OutboxFile(
                outbox_id=message.id,
                field=field,
                filename=upload.filename,
                content_type=upload.content_type,
                content=upload.content,
            )
        )
    return message


def _note_row(session: AsyncSession, message: OutboxMessage, *, with_uploads: bool = False) -> None:
    note_enqueued(session, [message.id])
    if not with_uploads and not session.in_nested_transaction():
        # the worker may take it as it is once committed (files it reads; a savepoint's rows
        # may be rolled back while the transaction commits, and on SQLite the next row may
        # take a rolled-back row's id, so the worker reads those too)
        session.info.setdefault(ENQUEUED_ROWS, []).append(message)


ENQUEUE_CHUNK = 1000
"""Rows per INSERT of `enqueue_many` (ten parameters a row, well under either database's
limit on parameters per statement)."""


async def enqueue_many(
    session: AsyncSession, calls: Sequence[NewCall], *, now: datetime
) -> list[int]:
    """Add many calls as `enqueue` adds one, with one INSERT … ON CONFLICT (key) DO NOTHING
    RETURNING id per chunk; the ids of the rows added (a key already used adds nothing)."""
    await insert_deferred(session)
    ids: list[int] = []
    for start in range(0, len(calls), ENQUEUE_CHUNK):
        values = [_values(call, now) for call in calls[start : start + ENQUEUE_CHUNK]]
        # the table, not the mapped class: one statement compiled once, its rows sent as
        # a single multi-row INSERT (SQLAlchemy's "insertmanyvalues")
        table = cast("Table", OutboxMessage.__table__)
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        inserted = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.id)
            .execution_options(insertmanyvalues_page_size=ENQUEUE_CHUNK)
        )
        added = list(await session.scalars(inserted, values))
        note_enqueued(session, added)
        ids.extend(added)
    return ids


def note_enqueued(session: AsyncSession, ids: Iterable[int]) -> None:
    """Remember rows this transaction added, for the worker once it has committed.

    Every insert into the outbox calls this with the new ids; rows of a transaction that is
    rolled back are never handed on.
    """
    session.info.setdefault(ENQUEUED, []).extend(ids)


def enqueued_in(session: AsyncSession) -> list[int]:
    """The ids noted so far in this session's transaction (not yet handed on)."""
    return list(session.info.get(ENQUEUED, ()))


async def count_possible_repeats(
    session: AsyncSession,
    *,
    outbox_ids: Iterable[int] | Select[Any] | None = None,
    key_prefix: str | None = None,
) -> int:
    """How many of these rows (ids or a subquery of ids, or keys starting with `key_prefix`)
    were sent again after a kill while their first call may already have arrived."""
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.repeat_possible)
    if outbox_ids is not None:
        query = query.where(OutboxMessage.id.in_(outbox_ids))
    if key_prefix is not None:
        query = query.where(OutboxMessage.key.startswith(key_prefix, autoescape=True))
    return int(await session.scalar(query) or 0)


async def uploads_of(session: AsyncSession, *, outbox_id: int) -> dict[str, Upload]:
    """The files spooled for one row, by the parameter they are sent as."""
    files = await session.scalars(select(OutboxFile).where(OutboxFile.outbox_id == outbox_id))
    return {f.field: Upload(f.content, f.filename, f.content_type) for f in files}


async def with_uploads(session: AsyncSession, *, outbox_ids: set[int]) -> set[int]:
    """Which of these rows have spooled files (their bytes are not loaded)."""
    if not outbox_ids:
        return set()
    found = await session.scalars(
        select(OutboxFile.outbox_id).where(OutboxFile.outbox_id.in_(outbox_ids)).distinct()
    )
    return set(found)


async def drop_uploads(session: AsyncSession, *, outbox_ids: Iterable[int] | Select[int]) -> None:
    """Remove the spooled files of rows that are done (`outbox_ids`: ids or a subquery)."""
    await session.execute(delete(OutboxFile).where(OutboxFile.outbox_id.in_(outbox_ids)))
