"""Many members send the monthly report at once: the real bot's cost and latency per update,
next to a bare python-telegram-bot echo bot driven with the same sequence of updates.

    python benchmarks/monthly_report.py [--db sqlite|postgres] [--users 50] [--think 0]
                                        [--pacing on|off] [--idle 10]

Both bots run as child processes against a simulator in this process that enforces no flood
limits (the echo bot does not pace itself; the real bot does, through its outbox, unless
`--pacing off`). The real bot counts its SQL statements and transactions (the
`SANIMAS_BENCH_COUNT_SQL` switch); after the drive both bots are left idle for `--idle`
seconds. Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drive import Driver, OutboxWatch, latencies
from sqlalchemy import func, select
from support import (
    DatabaseTarget,
    arguments,
    bot_environment,
    cpu_seconds,
    database_target,
    percentile,
    spawn,
    stop,
)

from bot.demo.answering import MAX_ANSWERS, choose_button, typed_answer
from bot.demo.main import kalurahan_names
from bot.menus import is_label
from domain.registry_csv import IpalRow
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal, import_ipals
from models.database import Database
from models.inbox import InboxUpdate
from models.invitations import create_invitation
from telesim import SimLimits, Simulator

SANIMAS = (sys.executable, "-m", "bot.cli", "run")
ECHO = (sys.executable, str(Path(__file__).with_name("echo_bot.py")))
SEND = "send"
START_TIMEOUT = 60.0
COUNTS_TIMEOUT = 10.0
COUNTS_FILE = "sql-counts.json"


@dataclass(frozen=True)
class SqlCounts:
    """The bot's SQL statements and transactions so far, by area (see `bot.sql_count`)."""

    statements: dict[str, int]
    transactions: dict[str, int]

    def __sub__(self, earlier: SqlCounts) -> SqlCounts:
        def minus(now: dict[str, int], then: dict[str, int]) -> dict[str, int]:
            return {key: value - then.get(key, 0) for key, value in now.items()}

        return SqlCounts(
            minus(self.statements, earlier.statements),
            minus(self.transactions, earlier.transactions),
        )

    def total(self) -> tuple[int, int]:
        return sum(self.statements.values()), sum(self.transactions.values())


def read_counts(path: Path) -> dict[str, Any]:
    """The last counts the bot wrote (sequence 0 before the first)."""
    try:
        figures: dict[str, Any] = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {"sequence": 0}
    return figures


async def sql_counts(pid: int, path: Path) -> SqlCounts:
    """Ask the bot (SIGUSR1) to write its counts, and read them once they are new."""
    before = read_counts(path)["sequence"]
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + COUNTS_TIMEOUT
    while True:
        figures = read_counts(path)
        if figures["sequence"] > before:
            return SqlCounts(figures["statements"], figures["transactions"])
        if time.monotonic() > deadline:
            raise TimeoutError("the bot wrote no SQL counts")
        await asyncio.sleep(0.05)


@dataclass(frozen=True)
class Idle:
    seconds: float
    cpu: float
    sql: SqlCounts | None

    def show(self, name: str) -> None:
        share = 100 * self.cpu / self.seconds
        line = f"{name} idle {self.seconds:g} s: CPU {share:.2f} % of a core"
        if self.sql is not None:
            statements, transactions = self.sql.total()
            line += (
                f"; {statements} statements, {transactions} transactions "
                f"({statements / self.seconds:.2f} statements/s)"
            )
        print(line)


async def idle(pid: int, seconds: float, counts: Path | None) -> Idle:
    """The bot's CPU and SQL while nothing happens for `seconds`."""
    before = await sql_counts(pid, counts) if counts is not None else None
    cpu_before = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    cpu = cpu_seconds(pid) - cpu_before
    after = await sql_counts(pid, counts) if counts is not None and before is not None else None
    sql = after - before if after is not None and before is not None else None
    return Idle(seconds, cpu, sql)


@dataclass(frozen=True)
class Result:
    name: str
    updates: int
    seconds: float
    cpu: float
    latency: list[float]
    deliveries: int = 0
    """Bot API calls other than getUpdates during the drive."""
    sql: SqlCounts | None = None

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.updates

    def show(self) -> None:
        p50, p99 = percentile(self.latency, 0.5), percentile(self.latency, 0.99)
        print(
            f"{self.name}: {self.updates} updates in {self.seconds:.1f} s = {self.rate:.1f} "
            f"updates/s; CPU {self.cpu:.2f} s = {self.cpu_ms:.2f} ms per update; "
            f"latency p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms; "
            f"{self.deliveries} Bot API calls"
        )
        if self.sql is not None:
            updates = self.sql.statements.get("updates", 0), self.sql.transactions.get("updates", 0)
            sends = self.sql.statements.get("delivery", 0), self.sql.transactions.get("delivery", 0)
            sweeps = self.sql.statements.get("sweeps", 0), self.sql.transactions.get("sweeps", 0)
            total = self.sql.total()
            print(
                f"  SQL per update (intake and handlers): {updates[0] / self.updates:.2f} "
                f"statements, {updates[1] / self.updates:.2f} transactions; "
                f"per delivery (outbox worker): {sends[0] / max(self.deliveries, 1):.2f} "
                f"statements, {sends[1] / max(self.deliveries, 1):.2f} transactions; "
                f"sweeps {sweeps[0]} statements; all per update: "
                f"{total[0] / self.updates:.2f} statements, {total[1] / self.updates:.2f} "
                "transactions (echo bot: none)"
            )


def registry(users: int) -> list[IpalRow]:
    """One IPAL per member, each in its own kalurahan of the packaged region list."""
    places = list(kalurahan_names().values())
    return [
        IpalRow(
            n + 2,
            f"KP-B{n:03d}",
            f"IPAL Uji {n:03d}",
            *places[n % len(places)],
            None,
            None,
            None,
            40,
            2020,
            None,
            None,
        )
        for n in range(users)
    ]


async def seed(target: DatabaseTarget, rows: list[IpalRow]) -> list[tuple[str, str]]:
    """The IPALs, and (member code, kalurahan official code) for each."""
    database = Database(target.url, schema_name=target.schema)
    now = datetime.now(UTC)
    codes = []
    try:
        async with database.transaction() as session:
            await import_ipals(session, rows=rows, now=now)
            for row in rows:
                ipal = await find_ipal(session, code=row.code)
                kapanewon = await find_area(
                    session, level=AreaLevel.KAPANEWON, name=row.kapanewon, parent=None
                )
                area = await find_area(
                    session, level=AreaLevel.KALURAHAN, name=row.kalurahan, parent=kapanewon
                )
                member = await create_invitation(
                    session,
                    role=Role.MEMBER,
                    ipal=ipal,
                    area=None,
                    max_uses=1,
                    expires_in=None,
                    now=now,
                )
                official = await create_invitation(
                    session,
                    role=Role.KALURAHAN_OFFICIAL,
                    ipal=None,
                    area=area,
                    max_uses=1,
                    expires_in=None,
                    now=now,
                )
                codes.append((member.code, official.code))
    finally:
        await database.dispose()
    return codes


async def start_bot(
    sim: Simulator, command: tuple[str, ...], env: dict[str, str], log: Path
) -> asyncio.subprocess.Process:
    """Spawn a bot and wait for its first getUpdates."""
    seen = len(sim.calls)
    process = await spawn(command, env, log)
    await sim.wait_for(
        lambda: any(call.method == "getUpdates" for call in sim.calls[seen:]),
        timeout=START_TIMEOUT,
    )
    return process


async def report(driver: Driver, chat_id: int) -> list[str]:
    """Tap the report button, answer as the demo does and press *Kirim*; returns action kinds."""
    sim = driver.sim
    menu = [label for row in sim.reply_keyboard(chat_id) or [] for label in row]
    await driver.say(chat_id, next(x for x in menu if is_label(x, "menu-report")))
    pressed: set[str] = set()
    tries: dict[str, int] = {}
    for _ in range(MAX_ANSWERS):
        question = sim.messages(chat_id)[-1]
        choice = choose_button(question, pressed)
        if choice is None:
            text = question.content or ""
            tries[text] = tries.get(text, 0) + 1
            keyboard = sim.reply_keyboard(chat_id) or []
            await driver.say(chat_id, typed_answer(text, keyboard, tries[text] - 1))
            continue
        value = choice[1].rsplit("|", 1)[-1]
        pressed.add(value)
        await driver.press(chat_id, question.message_id, choice[1])
        if value == SEND:
            break
    return [action.kind for action in driver.actions if action.chat_id == chat_id]


async def replay(driver: Driver, chat_id: int, kinds: list[str]) -> list[str]:
    """The same sequence of texts and presses, against the echo bot."""
    for number, kind in enumerate(kinds):
        if kind == "text":
            await driver.say(chat_id, f"jawaban {number}")
        else:
            message = driver.sim.messages(chat_id)[-1]
            await driver.press(chat_id, message.message_id, message.callback_data()[0])
    return kinds


async def measure(
    name: str,
    pid: int,
    driver: Driver,
    jobs: list[Coroutine[Any, Any, list[str]]],
    counts: Path | None = None,
) -> tuple[Result, list[list[str]]]:
    """Run the users' jobs at once; CPU and SQL are read once the bot has delivered
    everything."""
    sql_before = await sql_counts(pid, counts) if counts is not None else None
    calls_before = len(driver.sim.calls)
    cpu_before = cpu_seconds(pid)
    began = time.monotonic()
    kinds = await asyncio.gather(*jobs)
    seconds = time.monotonic() - began
    if driver.watch is not None:
        await driver.watch.drained(time.monotonic())
    cpu = cpu_seconds(pid) - cpu_before
    deliveries = sum(1 for c in driver.sim.calls[calls_before:] if c.method != "getUpdates")
    sql = None
    if counts is not None and sql_before is not None:
        sql = await sql_counts(pid, counts) - sql_before
    result = Result(
        name,
        len(driver.actions),
        seconds,
        cpu,
        latencies(driver.sim, driver.actions),
        deliveries,
        sql,
    )
    return result, list(kinds)


async def run_sanimas(
    target: DatabaseTarget, folder: Path, users: int, think: float, *, paced: bool, rest: float
) -> tuple[Result, Idle, list[list[str]]]:
    codes = await seed(target, registry(users))
    counts = folder / COUNTS_FILE
    async with Simulator(limits=SimLimits.unlimited()) as sim:
        env = bot_environment(sim, target) | {
            "SANIMAS_SCHEDULER__SWEEP_SECONDS": "3600",
            "SANIMAS_BENCH_COUNT_SQL": str(counts),
        }
        if not paced:
            env["SANIMAS_BENCH_NO_PACING"] = "1"
        process = await start_bot(sim, SANIMAS, env, folder / "sanimas.log")
        watch = OutboxWatch(target.url, target.schema)
        watching = asyncio.create_task(watch.run())
        try:
            members = [sim.add_user(f"Anggota {n}").id for n in range(users)]
            officials = [sim.add_user(f"Petugas {n}").id for n in range(users)]
            joining = Driver(sim, watch)
            chats = [*members, *officials]
            invitations = [member for member, _ in codes] + [official for _, official in codes]
            await asyncio.gather(
                *(
                    joining.say(chat, f"/start {code}")
                    for chat, code in zip(chats, invitations, strict=True)
                )
            )
            driver = Driver(sim, watch, think)
            jobs = [report(driver, chat) for chat in members]
            result, kinds = await measure("sanimas", process.pid, driver, jobs, counts)
            quiet = await idle(process.pid, rest, counts)
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
            await stop(process)
        alerts = sum(len(sim.messages(official)) - 1 for official in officials)
        print(
            f"  sanimas: {alerts} alerts reached the {users} officials; "
            f"calls Telegram would refuse: {len(sim.violations)}; "
            f"updates that failed: {await failed_updates(target)}"
        )
        for violation in sim.violations[:5]:
            print(f"    {violation}")
    return result, quiet, kinds


async def failed_updates(target: DatabaseTarget) -> int:
    """Updates the bot recorded as failed (its handler raised; the user got an apology)."""
    database = Database(target.url, schema_name=target.schema)
    try:
        async with database.transaction() as session:
            failed = await session.scalar(
                select(func.count()).select_from(InboxUpdate).where(InboxUpdate.error.is_not(None))
            )
    finally:
        await database.dispose()
    return int(failed or 0)


async def run_echo(
    folder: Path, kinds: list[list[str]], think: float, rest: float
) -> tuple[Result, Idle]:
    async with Simulator(limits=SimLimits.unlimited()) as sim:
        env = bot_environment(sim, DatabaseTarget("none", "", None))
        process = await start_bot(sim, ECHO, env, folder / "echo.log")
        try:
            chats = [sim.add_user(f"Anggota {n}").id for n in range(len(kinds))]
            driver = Driver(sim, None, think)
            jobs = [
                replay(driver, chat, sequence) for chat, sequence in zip(chats, kinds, strict=True)
            ]
            result, _ = await measure("echo bot", process.pid, driver, jobs)
            quiet = await idle(process.pid, rest, None)
        finally:
            await stop(process)
    return result, quiet


def compare(real: Result, echo: Result) -> None:
    ratios = {
        "CPU per update": real.cpu_ms / echo.cpu_ms,
        "updates/s": real.rate / echo.rate,
        "p50 latency": percentile(real.latency, 0.5) / percentile(echo.latency, 0.5),
        "p99 latency": percentile(real.latency, 0.99) / percentile(echo.latency, 0.99),
    }
    print("sanimas / echo bot: " + ", ".join(f"{k} ×{v:.3g}" for k, v in ratios.items()))


async def main() -> int:
    # A bot stopped at the end drops its long poll mid-request; not worth a traceback.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    parser = arguments(__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--pacing", choices=("on", "off"), default="on")
    parser.add_argument("--idle", type=float, default=10.0, help="idle seconds after the drive")
    parser.add_argument(
        "--statements", type=Path, help="copy the bot's counts by statement text to this file"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanimas-bench-") as name:
        folder = Path(name)
        async with database_target(options.db, folder) as target:
            print(
                f"database: {target.kind}; {options.users} members at once; "
                f"think time {options.think:g} s; the real bot's pacing {options.pacing}"
            )
            real, real_idle, kinds = await run_sanimas(
                target,
                folder,
                options.users,
                options.think,
                paced=options.pacing == "on",
                rest=options.idle,
            )
            if options.statements is not None:
                options.statements.write_text((folder / COUNTS_FILE).read_text())
        echo, echo_idle = await run_echo(folder, kinds, options.think, options.idle)
    real.show()
    echo.show()
    compare(real, echo)
    real_idle.show("sanimas")
    echo_idle.show("echo bot")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
