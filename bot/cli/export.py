"""`sanimas export`: the same XLSX workbook `/ekspor` sends, written to a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.commands import _ready_database
from bot.cli.console import Console
from bot.clock import SystemClock
from bot.export import ExportRequest, write_workbook
from bot.settings import Settings
from domain.dates import month_start
from models.areas import Area, AreaLevel, find_area
from models.summaries import Period, Scope

BAR_WIDTH = 30


def _day(value: str | None, default: date) -> date | None:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


async def export_data(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    """Write the area's workbook for the period to `--out`."""
    today = SystemClock(settings.clock.start).today()
    first = _day(arguments.first, month_start(today))
    last = _day(arguments.last, today)
    if first is None or last is None:
        bad = arguments.first if first is None else arguments.last
        return console.fail("cli-export-bad-date", value=bad)
    if first > last:
        return console.fail("cli-export-bad-period", first=first, last=last)
    database = await _ready_database(settings)
    try:
        async with database.reading() as session:
            scope = await _scope(session, arguments, console)
            if scope is None:
                return 1
            request = ExportRequest(
                scope=scope,
                period=Period(first, last),
                today=today,
                default_interval=settings.reports.desludging_interval_months,
            )
            progress = _bar if sys.stderr.isatty() else None
            rows = await write_workbook(
                Path(arguments.out),
                session=session,
                texts=console.texts,
                request=request,
                progress=progress,
                close_here=True,
            )
    finally:
        await database.dispose()
    console.say("cli-export-done", count=rows, path=arguments.out, first=first, last=last)
    return 0


async def _scope(
    session: AsyncSession, arguments: argparse.Namespace, console: Console
) -> Scope | None:
    """The area the arguments name (the district without them); None after saying it is not
    known."""
    if arguments.kapanewon is None and arguments.kalurahan is None:
        return Scope()
    kapanewon: Area | None = None
    if arguments.kapanewon is not None:
        kapanewon = await find_area(
            session, level=AreaLevel.KAPANEWON, name=arguments.kapanewon, parent=None
        )
        if kapanewon is None:
            console.fail("cli-export-no-area", level="kapanewon", name=arguments.kapanewon)
            return None
        if arguments.kalurahan is None:
            return Scope(kapanewon_id=kapanewon.id)
    if kapanewon is not None:
        kalurahan = await find_area(
            session, level=AreaLevel.KALURAHAN, name=arguments.kalurahan, parent=kapanewon
        )
    else:
        kalurahan = await _only_kalurahan(session, arguments.kalurahan)
    if kalurahan is None:
        console.fail("cli-export-no-area", level="kalurahan", name=arguments.kalurahan)
        return None
    return Scope(kalurahan_id=kalurahan.id)


async def _only_kalurahan(session: AsyncSession, name: str) -> Area | None:
    """The kalurahan of this name when only one kapanewon has one (else name the kapanewon)."""
    found = list(
        await session.scalars(
            select(Area).where(Area.level == AreaLevel.KALURAHAN, Area.name.ilike(name.strip()))
        )
    )
    return found[0] if len(found) == 1 else None


def _bar(sheet: str, done: int, total: int) -> None:
    """`Laporan bulanan [##########----------] 500/1000` on the terminal, redrawn in place."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    end = "\n" if done >= total else ""
    print(f"\r{sheet} [{bar}] {done}/{total}", end=end, file=sys.stderr, flush=True)
