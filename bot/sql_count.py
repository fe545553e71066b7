"""Benchmark instrument: SQL statements and transactions counted by the part of the bot that
ran them, when `SANIMAS_BENCH_COUNT_SQL` names a file to write the counts to.

Off (the variable unset), nothing is attached to the engine and nothing runs per statement.
On, every statement and every commit or rollback is counted under the area of the task that
ran it: `delivery` (the outbox worker and the tasks it starts), `sweeps`, or `updates` (the
intake, the handlers and everything else). The counts are written as JSON when the bot stops
and whenever the process gets SIGUSR1, with a sequence number that grows at each write.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from models.database import Database

ENV = "SANIMAS_BENCH_COUNT_SQL"
DEFAULT_AREA = "updates"
SHOWN_CHARS = 90
"""How much of each statement's text the counts keep (to tell statements apart)."""

_area: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sanimas_sql_area", default=DEFAULT_AREA
)


class SqlCounter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.statements: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.texts: Counter[tuple[str, str]] = Counter()
        self.writes = 0

    def attach(self, database: Database) -> None:
        engine = database.engine.sync_engine

        @event.listens_for(engine, "before_cursor_execute")
        def _statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            area = _area.get()
            self.statements[area] += 1
            self.texts[area, " ".join(statement.split())[:SHOWN_CHARS]] += 1

        @event.listens_for(engine, "commit")
        def _commit(*_args: Any) -> None:
            self.transactions[_area.get()] += 1

        @event.listens_for(engine, "rollback")
        def _rollback(*_args: Any) -> None:
            self.transactions[_area.get()] += 1

    def write(self) -> None:
        self.writes += 1
        figures = {
            "sequence": self.writes,
            "statements": dict(self.statements),
            "transactions": dict(self.transactions),
            "texts": [[area, text, n] for (area, text), n in self.texts.most_common()],
        }
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(figures))
        partial.replace(self.path)


def counter_from_environment(database: Database) -> SqlCounter | None:
    """A counter attached to `database` when the benchmark switch is on (else None)."""
    target = os.environ.get(ENV)
    if not target:
        return None
    counter = SqlCounter(Path(target))
    counter.attach(database)
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, counter.write)
    return counter


@contextmanager
def counted_as(area: str) -> Iterator[None]:
    """Tasks created inside this block count their SQL under `area`."""
    token = _area.set(area)
    try:
        yield
    finally:
        _area.reset(token)
