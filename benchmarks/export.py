"""Time and peak memory of `sanimas export` over 10,000 and 100,000 monthly reports of 2,000
IPALs, and the time to draw the `/rekap` chart.

    python benchmarks/export.py [--db sqlite|postgres]

Besides the reports, every IPAL has a problem followed up twice (its history is merged into one
cell) and a desludging done and rated, so every sheet has rows.

The export runs as a child process (`python benchmarks/export.py --child …`, which runs
`sanimas export` and then prints its own peak RSS), so each figure is that process's alone.
The peak is the child's `VmHWM`, not `getrusage`'s: the latter keeps the high-water mark of
the forked copy of this process (big after seeding) across the `exec`.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from support import DatabaseTarget, arguments, clean_environment, database_target

from bot.charts import draw_summary
from bot.texts import Texts
from domain.dates import add_months
from domain.summary import IpalFacts, OperatorRating, ReportFacts, summarize
from models.areas import Area, Ipal
from models.database import Database
from models.desludging import DesludgingRating, DesludgingRequest
from models.problems import ProblemEvent, ProblemReport
from models.reports import MonthlyReport
from models.users import User

IPALS = 2000
KAPANEWON = 12
KALURAHAN_PER_KAPANEWON = 8
SCORES = {
    "technical": "green",
    "financial": "yellow",
    "institutional": "red",
    "governance": "green",
}
LAST_MONTH = date(2026, 11, 1)
BATCH = 5000


def months_back(count: int, skip: int = 0) -> list[date]:
    return [add_months(LAST_MONTH, -(skip + n)) for n in range(count)]


async def seed_registry(target: DatabaseTarget) -> None:
    """12 kapanewon of 8 kalurahan each, 2,000 IPALs among them, one reporter."""
    engine = _engine(target)
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        areas = [
            {"id": k + 1, "level": "kapanewon", "name": f"Kapanewon {k + 1}", "parent_id": None}
            for k in range(KAPANEWON)
        ]
        kalurahans = [
            {
                "id": 100 + k * KALURAHAN_PER_KAPANEWON + n,
                "level": "kalurahan",
                "name": f"Kalurahan {k + 1}.{n + 1}",
                "parent_id": k + 1,
            }
            for k in range(KAPANEWON)
            for n in range(KALURAHAN_PER_KAPANEWON)
        ]
        await connection.execute(insert(Area), [*areas, *kalurahans])
        await connection.execute(
            insert(Ipal),
            [
                {
                    "id": i + 1,
                    "code": f"KP-{i + 1:05d}",
                    "name": f"IPAL Bench {i + 1}",
                    "kalurahan_id": kalurahans[i % len(kalurahans)]["id"],
                    "house_connections": 40 + i % 30,
                    "built_year": 2015 + i % 10,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(IPALS)
            ],
        )
        await connection.execute(
            insert(User),
            [{"id": 1, "telegram_id": 1, "first_name": "Bench", "created_at": now,
              "last_seen_at": now}],
        )  # fmt: skip
    await engine.dispose()


async def seed_follow_up(target: DatabaseTarget) -> None:
    """Per IPAL: a problem acknowledged then resolved, and a desludging done and rated."""
    engine = _engine(target)
    now = datetime.now(UTC)
    today = now.date()
    ids = range(1, IPALS + 1)
    async with engine.begin() as connection:
        await connection.execute(
            insert(ProblemReport),
            [{"id": i, "ipal_id": i, "kind": "blocked", "urgency": "high", "severity": "warning",
              "state": "resolved", "reporter_id": 1, "reported_at": now} for i in ids],
        )  # fmt: skip
        await connection.execute(
            insert(ProblemEvent),
            [{"problem_id": i, "state_from": old, "state_to": new, "actor_id": 1,
              "note": f"catatan {i}", "at": now}
             for i in ids for old, new in (("open", "acknowledged"), ("acknowledged", "resolved"))],
        )  # fmt: skip
        await connection.execute(
            insert(DesludgingRequest),
            [{"id": i, "ipal_id": i, "reason": "lltt_due", "preferred_date": today,
              "severity": "ok", "state": "done", "requester_id": 1, "requested_at": now,
              "scheduled_on": today, "team": f"UPT {i % 5}", "done_on": today,
              "volume_m3": Decimal("3.50"), "closed_at": now} for i in ids],
        )  # fmt: skip
        await connection.execute(
            insert(DesludgingRating),
            [{"request_id": i, "stars": 1 + i % 5, "no_spillage": True, "protective_gear": False,
              "site_clean": True, "rated_by_id": 1, "rated_at": now} for i in ids],
        )  # fmt: skip
    await engine.dispose()


async def seed_reports(target: DatabaseTarget, months: list[date]) -> None:
    """One report per IPAL for each month."""
    engine = _engine(target)
    now = datetime.now(UTC)
    rows = [
        {
            "ipal_id": i + 1,
            "period": period,
            "reporter_id": 1,
            "condition": ("good", "problems", "broken")[i % 3],
            "problems": ["odour"] if i % 3 else [],
            "active_connections": 40,
            "paying_households": 30 + i % 10,
            "fee_collected": 300_000 + i,
            "operator_active": True,
            "board_met": i % 2 == 0,
            "books_up_to_date": True,
            "severity": "ok",
            "scores": SCORES,
            "status": "current",
            "submitted_at": now,
        }
        for period in months
        for i in range(IPALS)
    ]
    async with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            await connection.execute(insert(MonthlyReport), rows[start : start + BATCH])
    await engine.dispose()


def _engine(target: DatabaseTarget) -> AsyncEngine:
    return Database(target.url, schema_name=target.schema).engine


async def export(target: DatabaseTarget, out: Path) -> tuple[float, float, float]:
    """Wall time, peak RSS (MB) and CPU time of one `sanimas export` of everything since 2010
    (the CPU time says what the wall time would be on an idle machine, less the database's)."""
    env = clean_environment() | target.environment()
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--child", "export", "--out", str(out), "--from", "2010-01-01",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"export failed: {stderr.decode()}")
    peak_kb, cpu = stdout.decode().strip().splitlines()[-1].split()
    return elapsed, int(peak_kb) / 1024, float(cpu)


def chart_time() -> float:
    """Median of 3 draws of a 2,000-IPAL summary (the first includes importing matplotlib)."""
    summary = summarize(
        today=date(2026, 11, 16),
        ipals=[IpalFacts(i, 2020, None, 24) for i in range(IPALS)],
        reports=[
            ReportFacts(i, period, "good", SCORES)
            for period in months_back(6)
            for i in range(IPALS)
        ],
        open_problems=[],
        ratings=[OperatorRating(f"UPT {n}", 400, 3 + n / 5) for n in range(5)],
    )
    times = []
    for _ in range(3):
        started = time.perf_counter()
        draw_summary(summary, Texts("id"), title="Rekap seluruh kabupaten — November 2026")
        times.append(time.perf_counter() - started)
    print(f"chart: first draw {times[0]:.2f} s, median {statistics.median(times):.2f} s")
    return statistics.median(times)


async def main(kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with database_target(kind, Path(folder)) as target:
            await seed_registry(target)
            await seed_follow_up(target)
            await seed_reports(target, months_back(5))
            small = await export(target, Path(folder) / "10k.xlsx")
            await seed_reports(target, months_back(45, skip=5))
            large = await export(target, Path(folder) / "100k.xlsx")
            size = (Path(folder) / "100k.xlsx").stat().st_size / 1024 / 1024
    print(f"database: {kind}")
    print(f"10,000 reports:  {small[0]:.1f} s (CPU {small[2]:.1f} s), peak RSS {small[1]:.1f} MB")
    print(
        f"100,000 reports: {large[0]:.1f} s (CPU {large[2]:.1f} s), peak RSS {large[1]:.1f} MB,"
        f" file {size:.1f} MB"
    )
    print(f"peak RSS 100k / 10k: {large[1] / small[1]:.3f}")
    chart_time()


def child(argv: list[str]) -> None:
    from bot.cli.main import main as sanimas

    code = sanimas(argv)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(peak_rss_kb(), usage.ru_utime + usage.ru_stime)
    sys.exit(code)


def peak_rss_kb() -> int:
    """This program's peak resident memory in KB, since it was started."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        asyncio.run(main(arguments(__doc__).parse_args().db))
