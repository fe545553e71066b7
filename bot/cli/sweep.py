"""`sanimas sweep [--at ISO-DATETIME] [--dry-run]`: every sweep once, as of one instant.

It prints one line per message queued (recipient, kind, IPAL), or that nothing was due. The
running bot delivers them at once, whatever its own clock says; a quiet-hours hold is
computed from `--at`. `--dry-run` prints the same lines and queues nothing.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.console import Console
from bot.clock import WIB, SystemClock
from bot.runtime import Runtime
from bot.settings import Settings
from domain.errors import InputError
from models.alerts import Alert
from models.areas import Ipal
from models.database import Database
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from models.users import User
from scheduler.registry import SWEEPS, held_from, run_sweeps

IPAL_IN_KEY = frozenset({"lltt", "lltt-officials", "monthly"})


def parse_at(text: str | None, clock: SystemClock) -> datetime:
    """`--at` as an aware instant (WIB when it names no zone); now without it."""
    if text is None:
        return clock.now()
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InputError("cli-sweep-bad-at", {"value": text}) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=WIB)


async def sweep(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    from bot.cli.commands import _ready_database

    clock = SystemClock(settings.clock.start)
    try:
        at = parse_at(arguments.at, clock)
    except InputError as error:
        return console.refuse(error)
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            last = await _last_id(session)
        if arguments.dry_run:
            lines = await _dry_run(database, settings, at, clock.now(), last)
        else:
            await run_sweeps(
                Runtime(settings, clock, database=database), at=at, deliver_from=clock.now()
            )
            async with database.transaction() as session:
                lines = await describe_since(session, last)
    finally:
        await database.dispose()
    for line in lines:
        console.say("cli-sweep-line", **line)
    if not lines:
        console.say("cli-sweep-nothing", at=at.isoformat())
    return 0


async def _dry_run(
    database: Database, settings: Settings, at: datetime, start: datetime, last: int
) -> list[dict[str, str]]:
    """Every sweep in one transaction that is rolled back: what it would queue."""
    async with database.sessions() as session:
        transaction = await session.begin()
        try:
            for one in SWEEPS:
                not_before = held_from(one, at, settings.scheduler, start)
                await one.run(session, now=at, not_before=not_before, settings=settings)
            return await describe_since(session, last)
        finally:
            await transaction.rollback()


async def _last_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(OutboxMessage.id))) or 0)


async def describe_since(session: AsyncSession, last: int) -> list[dict[str, str]]:
    """Recipient, kind and IPAL of each row queued after `last`."""
    messages = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
    )
    lines = []
    for message in messages:
        user = await session.scalar(select(User).where(User.telegram_id == message.chat_id))
        kind = (message.key or message.method).split(":")[0]
        lines.append(
            {
                "recipient": f"{user.display_name if user else '?'} ({message.chat_id})",
                "kind": kind,
                "ipal": await _ipal_of(session, message, kind) or "-",
            }
        )
    return lines


async def _ipal_of(session: AsyncSession, message: OutboxMessage, kind: str) -> str | None:
    parts = (message.key or "").split(":")
    ipal_id: int | None = None
    if kind in IPAL_IN_KEY and len(parts) > 1 and parts[1].isdigit():
        ipal_id = int(parts[1])
    elif kind == "desludging-tomorrow" and len(parts) > 1 and parts[1].isdigit():
        request = await session.get(DesludgingRequest, int(parts[1]))
        ipal_id = request.ipal_id if request else None
    elif kind == "alert":
        ipal_id = await session.scalar(select(Alert.ipal_id).where(Alert.outbox_id == message.id))
    ipal = await session.get(Ipal, ipal_id) if ipal_id is not None else None
    return ipal.code if ipal is not None else None
