"""Where the bot's CPU goes, from a py-spy profile of a benchmark run.

    py-spy record --subprocesses --format raw -r 200 -o profile.txt -- \\
        python benchmarks/monthly_report.py --db sqlite --think 0 --pacing off
    python benchmarks/profile_summary.py profile.txt

Only the samples of the `sanimas run` process count. Each sample is given to the library its
innermost frame runs in (self time by subsystem), and to the activity it serves: the outbox
worker, an update's handler, the intake, the start-up's imports, SQL whose caller the sample
does not show (SQLAlchemy runs it in a greenlet), or the rest (loops, threads, polling).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

BOT = "bot.cli run"
FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^:]*)(?::\d+)?\)$")
SUBSYSTEMS = (
    ("SQLAlchemy ORM", ("sqlalchemy/orm/",)),
    ("SQLAlchemy Core", ("sqlalchemy/",)),
    ("aiosqlite and sqlite3", ("aiosqlite/", "sqlite3/")),
    ("asyncpg", ("asyncpg/",)),
    ("aiohttp", ("aiohttp/", "yarl/", "multidict/")),
    ("httpx", ("httpx/", "httpcore/", "h11/", "anyio/")),
    ("python-telegram-bot", ("telegram/",)),
    ("JSON", ("json/",)),
    ("threads", ("threading.py", "concurrent/", "queue.py")),
    ("asyncio", ("asyncio/", "selectors.py")),
    ("logging", ("logging/",)),
    ("pydantic", ("pydantic",)),
    ("our code", ("bot/", "handlers/", "models/", "domain/", "scheduler/")),
)
WAITS = ("_connection_worker_thread (aiosqlite/core.py:59)", "EpollSelector.select (selectors.py")
"""Innermost frames of a thread that waits (py-spy counts them as active): an aiosqlite
thread waiting for work, the event loop waiting for I/O. Shown apart, they are not CPU."""
WAITING = "waiting (idle aiosqlite threads, the loop's select)"
SQLITE_RUNNING = "_connection_worker_thread (aiosqlite/core.py:63)"
"""An aiosqlite thread inside sqlite3 (the GIL released): work, or waiting for the write lock."""

ACTIVITIES = (
    ("outbox worker", "bot/transport/delivery.py"),
    ("handler (turn)", "bot/turn.py"),
    ("intake", "bot/transport/inbox.py"),
    ("after-update step", "bot/transport/ordering.py"),
    ("sweeps", "scheduler/"),
)


def subsystem(path: str) -> str:
    for name, markers in SUBSYSTEMS:
        if any(marker in path for marker in markers):
            return name
    return "other (interpreter, C code)"


IN_GREENLET = "SQL in SQLAlchemy's greenlet (caller unseen)"
"""SQLAlchemy's asyncio layer runs each statement's sync code in a greenlet, whose stack
py-spy shows from the greenlet's first frame: the handler or worker that asked is not in it."""
START_UP = "start-up (imports)"


def activity(paths: list[str]) -> str:
    if "sqlalchemy/" in paths[0]:
        return IN_GREENLET
    if any("<frozen importlib" in path for path in paths):
        return START_UP
    for name, marker in ACTIVITIES:
        if any(marker in path for path in paths):
            return name
    return "rest (event loop, threads, polling)"


def summarise(lines: list[str]) -> tuple[Counter[str], Counter[str], int]:
    by_subsystem: Counter[str] = Counter()
    by_activity: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count_text = line.rstrip("\n").rpartition(" ")
        frames = stack.split(";")
        if len(frames) < 2 or BOT not in frames[1]:
            continue
        count = int(count_text)
        paths = [m.group("path") for f in frames[2:] if (m := FRAME.match(f))]
        if not paths:
            continue
        if frames[-1].startswith(WAITS):
            by_subsystem[WAITING] += count
            by_activity[WAITING] += count
            total += count
            continue
        if frames[-1].startswith(SQLITE_RUNNING):
            by_subsystem["in sqlite3 (its work or a wait for the write lock)"] += count
        else:
            by_subsystem[subsystem(paths[-1])] += count
        by_activity[activity(paths)] += count
        total += count
    return by_subsystem, by_activity, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile", type=Path, help="py-spy --format raw output")
    options = parser.parse_args()
    by_subsystem, by_activity, total = summarise(options.profile.read_text().splitlines())
    if not total:
        print("no samples of the bot process")
        return 1
    working = total - by_subsystem[WAITING]
    print(f"{total} samples of the bot process, {working} not waiting; shares of all, of those")
    for title, counts in (("by subsystem (self time)", by_subsystem), ("by activity", by_activity)):
        print(title)
        for name, count in counts.most_common():
            share = "" if name == WAITING else f"{100 * count / max(working, 1):5.1f} %"
            print(f"  {name:52} {100 * count / total:5.1f} %  {share}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
