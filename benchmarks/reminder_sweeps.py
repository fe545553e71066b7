"""One full sweep (`run_sweeps`) over 100,000 IPALs and 500,000 users, with 1 % due and with
nothing due, and the query plans of the due-queries.

    python benchmarks/reminder_sweeps.py [--db sqlite|postgres] [--ipals 100000] [--members 5]

The data is written straight into a migrated database (5 members per IPAL, 100 kalurahans,
every IPAL reported this month except the due ones). "1 % due": 1 % of the IPALs reach an LLTT
step today and have no report on day 25, so each of their members gets two reminders.
"Nothing due": Tuesday the 16th, no LLTT step, no open problem, this week's digest sent.
Aim: ≤ 1 s and ≤ 0.1 s.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from support import arguments, database_target

from bot.clock import WIB, ManualClock
from bot.runtime import Runtime
from bot.settings import ExplicitSettings
from domain.lifecycles import OPEN_REQUEST_STATES
from domain.reminders import ReminderKind
from models.areas import Area, AreaLevel, Ipal
from models.database import Database
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from models.reports import MonthlyReport
from models.users import RoleGrant, User
from scheduler.audience import members_query
from scheduler.escalation import due_problems
from scheduler.monthly import missing_report
from scheduler.registry import SWEEPS, run_sweeps

DUE_DAY = datetime(2027, 3, 25, 8, 0, tzinfo=WIB)
QUIET_DAY = datetime(2027, 3, 16, 8, 0, tzinfo=WIB)
"""A Tuesday: the Monday before it sent the week's digest (the first, cold, sweep)."""
CHUNK = 10_000
KALURAHANS = 100


async def seed(db: Database, ipals: int, members: int) -> None:
    """The areas, IPALs, members and this month's reports, in bulk."""
    now = datetime(2027, 1, 1, tzinfo=WIB)
    due_every = 100  # 1 %
    async with db.transaction() as session:
        kapanewon = Area(level=AreaLevel.KAPANEWON, name="Bench")
        session.add(kapanewon)
        await session.flush()
        areas = [
            Area(level=AreaLevel.KALURAHAN, name=f"K{n}", parent_id=kapanewon.id)
            for n in range(KALURAHANS)
        ]
        session.add_all(areas)
        await session.flush()
        area_ids = [area.id for area in areas]
    far = date(2031, 1, 1)
    due = DUE_DAY.date()
    ipal_rows = [
        {
            "id": n + 1,
            "code": f"B-{n}",
            "name": f"IPAL {n}",
            "kalurahan_id": area_ids[n % KALURAHANS],
            "house_connections": 40,
            "lltt_due_on": due if n % due_every == 0 else far,
            "lltt_remind_on": due if n % due_every == 0 else far,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(ipals)
    ]
    await _bulk(db, Ipal, ipal_rows)
    users = [
        {
            "id": n + 1,
            "telegram_id": 10_000_000 + n,
            "first_name": f"U{n}",
            "language": "id",
            "is_blocked": False,
            "deactivation_told": False,
            "created_at": now,
            "last_seen_at": now,
        }
        for n in range(ipals * members)
    ]
    await _bulk(db, User, users)
    grants = [
        {
            "user_id": n + 1,
            "role": "member",
            "ipal_id": n // members + 1,
            "scope_key": f"ipal:{n // members + 1}",
            "granted_at": now,
        }
        for n in range(ipals * members)
    ]
    await _bulk(db, RoleGrant, grants)
    for period in (date(2027, 3, 1), date(2027, 2, 1)):
        reports = [
            {
                "ipal_id": n + 1,
                "period": period,
                "reporter_id": n * members + 1,
                "condition": "good",
                "problems": [],
                "active_connections": 40,
                "paying_households": 40,
                "fee_collected": 1,
                "operator_active": True,
                "board_met": True,
                "books_up_to_date": True,
                "severity": "ok",
                "scores": {},
                "status": "current",
                "submitted_at": now,
            }
            for n in range(ipals)
            if n % due_every != 0 or period.month == 2
        ]
        await _bulk(db, MonthlyReport, reports)
    if not db.is_sqlite:
        async with db.transaction() as session:
            for table in ("ipals", "users", "role_grants", "monthly_reports"):
                await session.execute(text(f"ANALYZE {table}"))


async def _bulk(db: Database, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        async with db.transaction() as session:
            await session.execute(insert(model), rows[start : start + CHUNK])


def due_queries(today: date) -> dict[str, Select[Any]]:
    """The queries the sweeps find their work with."""
    tomorrow = today + timedelta(days=1)
    return {
        "lltt": select(Ipal.id).where(Ipal.lltt_remind_on <= today).order_by(Ipal.lltt_remind_on),
        "lltt open requests": select(DesludgingRequest.ipal_id).where(
            DesludgingRequest.ipal_id.in_([1, 2, 3]),
            DesludgingRequest.state.in_(OPEN_REQUEST_STATES),
        ),
        "monthly missing": select(Ipal.id).where(missing_report(date(2027, 3, 1))),
        "members of due IPALs (a batch)": cast(
            "Select[Any]", members_query(range(1, 501), ReminderKind.LLTT)
        ),
        "escalation problems": due_problems(DUE_DAY - timedelta(days=1)),
        "escalation requests": select(DesludgingRequest.id).where(
            DesludgingRequest.state == "requested",
            DesludgingRequest.requested_at <= DUE_DAY - timedelta(days=7),
        ),
        "desludging tomorrow": select(DesludgingRequest.id).where(
            DesludgingRequest.scheduled_on == tomorrow
        ),
    }


async def plans(db: Database) -> None:
    async with db.transaction() as session:
        for name, query in due_queries(DUE_DAY.date()).items():
            print(f"\n-- {name}")
            for line in await _plan(session, query, db.is_sqlite):
                print(f"   {line if len(line) <= 160 else line[:157] + '...'}")


async def _plan(session: AsyncSession, query: Select[Any], sqlite: bool) -> list[str]:
    compiled = query.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    rows = await session.execute(text(prefix + str(compiled)))
    return [str(row[-1]) for row in rows]


async def timed(runtime: Runtime, at: datetime) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    handled = await run_sweeps(runtime, at=at)
    return time.perf_counter() - started, handled


async def by_sweep(runtime: Runtime, at: datetime) -> tuple[float, dict[str, float]]:
    """The same full sweep, one sweep at a time: the whole, and each sweep's share."""
    shares = {}
    for sweep in SWEEPS:
        started = time.perf_counter()
        await run_sweeps(runtime, at=at, sweeps=(sweep,))
        shares[sweep.name] = time.perf_counter() - started
    return sum(shares.values()), shares


def shares_line(shares: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in shares.items())


async def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--ipals", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        async with database_target(options.db, Path(folder)) as target:
            db = Database(target.url, schema_name=target.schema)
            try:
                seeding = time.perf_counter()
                await seed(db, options.ipals, options.members)
                print(
                    f"seeded {options.ipals} IPALs, {options.ipals * options.members} users "
                    f"on {options.db} in {time.perf_counter() - seeding:.1f} s"
                )
                settings = ExplicitSettings.model_validate(
                    {"database": {"url": target.url, "schema_name": target.schema}}
                )
                runtime = Runtime(settings, ManualClock(QUIET_DAY), database=db)
                cold, _ = await timed(runtime, QUIET_DAY - timedelta(days=1))  # the digest
                quiet, handled = await timed(runtime, QUIET_DAY)
                print(f"nothing due: {quiet:.3f} s (first sweep of the process: {cold:.3f} s)")
                quiet_total, quiet_shares = await by_sweep(runtime, QUIET_DAY + timedelta(hours=1))
                print(
                    f"nothing due, sweep by sweep: {quiet_total:.3f} s: {shares_line(quiet_shares)}"
                )
                busy, handled = await timed(runtime, DUE_DAY)
                async with db.transaction() as session:
                    count = await session.scalar(select(func.count()).select_from(OutboxMessage))
                print(f"1 % due:     {busy:.3f} s  ({count} messages queued)  {handled}")
                again, _ = await timed(runtime, DUE_DAY)
                print(f"1 % due, swept again at once: {again:.3f} s")
                next_day = DUE_DAY + timedelta(days=1)
                async with db.transaction() as session:
                    await session.execute(
                        update(Ipal)
                        .where(Ipal.id % 100 == 2)
                        .values(lltt_remind_on=next_day.date())
                    )
                total, shares = await by_sweep(runtime, next_day)
                print(
                    f"1 % due (LLTT only, the next day), sweep by sweep: {total:.3f} s: "
                    f"{shares_line(shares)}"
                )
                await plans(db)
            finally:
                await db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
