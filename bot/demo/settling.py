"""When the bot has caught up: for the demo and the tests, which wait for it to answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from models.database import Database
from models.inbox import InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus
from telesim import Simulator

RETRY_HORIZON = timedelta(seconds=10)
"""Rows waiting out a short retry (e.g. a 429) still count as not delivered yet."""


async def caught_up(sim: Simulator, database: Database, *, now: datetime) -> bool:
    """Every update confirmed and handled, every message due soon delivered."""
    if sim.pending_updates:
        return False
    async with database.transaction() as session:
        unhandled = await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.handled_at.is_(None))
        )
        waiting = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.not_before <= now + RETRY_HORIZON,
            )
        )
    return unhandled == 0 and waiting == 0
