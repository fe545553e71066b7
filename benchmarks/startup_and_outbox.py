"""Start-up time, idle memory and outbox throughput of the real `sanimas run` process.

    python benchmarks/startup_and_outbox.py [--db sqlite|postgres] [--runs 3]

The simulator runs in this process, the bot as a child process talking to it over HTTP.
Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from support import (
    DatabaseTarget,
    arguments,
    bot_environment,
    cpu_seconds,
    database_target,
    rss_mb,
    spawn,
    stop,
)

from bot.settings import OutboxSettings
from models.database import Database
from models.outbox import OutboxMessage, enqueue
from telesim import SimLimits, Simulator

BOT_COMMAND = (sys.executable, "-m", "bot.cli", "run")
START_TIMEOUT = 60.0
IDLE_SECONDS = 3.0
CHATS = 500
PER_CHAT = 4
DRAIN_TIMEOUT = 600.0


@dataclass
class Bench:
    sim: Simulator
    target: DatabaseTarget
    folder: Path

    async def start_bot(self) -> tuple[asyncio.subprocess.Process, float]:
        """Spawn `sanimas run`; returns it and the seconds until its first getUpdates arrived.

        The simulator records a call when it answers it, and a long poll is answered only after
        `poll_timeout`; so the first getUpdates is held on arrival, timed, and let go.
        """
        first_poll = self.sim.hold_next("getUpdates")
        spawned = time.monotonic()
        env = bot_environment(self.sim, self.target)
        process = await spawn(BOT_COMMAND, env, self.folder / "bot.log")
        await asyncio.wait_for(first_poll.arrived.wait(), START_TIMEOUT)
        arrived = time.monotonic()
        first_poll.release()
        return process, arrived - spawned


async def measure_startup(bench: Bench, runs: int) -> asyncio.subprocess.Process:
    """Start the bot `runs` times; the last one is left running for the next measurements."""
    times: list[float] = []
    process = None
    for run in range(runs):
        if process is not None:
            await stop(process)
        process, seconds = await bench.start_bot()
        times.append(seconds)
        print(f"  run {run + 1}: {seconds:.3f} s from spawn to the first getUpdates")
    assert process is not None
    median = statistics.median(times)
    print(f"start-up (median of {runs}, schema migrated beforehand): {median:.3f} s")
    return process


async def fill_outbox(target: DatabaseTarget, chat_ids: list[int]) -> dict[str, int]:
    """Insert PER_CHAT messages for every chat in one transaction; returns unique id → chat."""
    expected: dict[str, int] = {}
    database = Database(target.url, schema_name=target.schema)
    now = datetime.now(UTC)
    try:
        async with database.transaction() as session:
            for number in range(1, PER_CHAT + 1):
                for chat_id in chat_ids:
                    unique = uuid.uuid4().hex[:12]
                    expected[unique] = chat_id
                    text = f"{number}/{PER_CHAT} Undangan pelatihan O&M IPAL · id {unique}"
                    await enqueue(
                        session,
                        chat_id=chat_id,
                        method="sendMessage",
                        params={"chat_id": chat_id, "text": text},
                        now=now,
                        bulk=True,
                    )
    finally:
        await database.dispose()
    return expected


async def outbox_statuses(target: DatabaseTarget) -> dict[str, int]:
    database = Database(target.url, schema_name=target.schema)
    try:
        async with database.transaction() as session:
            rows = await session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
            return {str(status): count for status, count in rows.all()}
    finally:
        await database.dispose()


async def measure_outbox(bench: Bench, pid: int) -> None:
    sim = bench.sim
    chat_ids = [sim.add_user(first_name=f"Warga {n}").id for n in range(CHATS)]
    too_many_before = sim.stats.too_many_requests
    cpu_before = cpu_seconds(pid)
    expected = await fill_outbox(bench.target, chat_ids)
    total = len(expected)
    print(f"outbox: {total} sendMessage rows for {CHATS} chats committed; waiting for delivery…")

    def delivered() -> int:
        return sum(len(sim.messages(chat_id)) for chat_id in chat_ids)

    try:
        await sim.wait_for(lambda: delivered() >= total, timeout=DRAIN_TIMEOUT)
    except TimeoutError:
        print(f"  gave up waiting after {DRAIN_TIMEOUT:g} s")
    await asyncio.sleep(2.0)  # anything sent twice would arrive now
    cpu = cpu_seconds(pid) - cpu_before
    report_outbox(sim, chat_ids, expected, too_many_before)
    per_message = 1000 * cpu / len(expected)
    print(f"  bot CPU time while draining: {cpu:.1f} s ({per_message:.1f} ms per message)")
    print(f"  final outbox rows by status: {await outbox_statuses(bench.target)}")


def report_outbox(
    sim: Simulator, chat_ids: list[int], expected: dict[str, int], too_many_before: int
) -> None:
    chats = set(chat_ids)
    sent = [
        call
        for call in sim.calls
        if call.method == "sendMessage" and call.status == 200 and call.chat_id in chats
    ]
    span = sent[-1].time - sent[0].time if len(sent) > 1 else float("nan")
    rate = (len(sent) - 1) / span if len(sent) > 1 else 0.0
    configured = OutboxSettings().global_rate
    ids = Counter(
        (message.content or "").rsplit(" ", 1)[-1]
        for chat_id in chat_ids
        for message in sim.messages(chat_id)
    )
    lost = sum(1 for unique in expected if unique not in ids)
    doubled = sum(1 for count in ids.values() if count > 1)
    print(f"  first to last sendMessage: {span:.2f} s for {len(sent)} messages")
    print(
        f"  rate: {rate:.2f} messages/s = {100 * rate / configured:.1f} % of "
        f"outbox.global_rate ({configured:g}/s)"
    )
    print(
        f"  lost: {lost}   doubled: {doubled}   "
        f"429s: {sim.stats.too_many_requests - too_many_before}"
    )
    print(f"  per-chat order violations: {order_violations(sim, chat_ids)}")


def order_violations(sim: Simulator, chat_ids: list[int]) -> int:
    """Chats that did not get 1/4, 2/4, 3/4, 4/4 in this order."""
    want = [f"{n}/{PER_CHAT}" for n in range(1, PER_CHAT + 1)]
    return sum(
        1
        for chat_id in chat_ids
        if [(m.content or "").split(" ", 1)[0] for m in sim.messages(chat_id)] != want
    )


async def main() -> int:
    # A bot stopped between start-up runs drops its long poll mid-request; not worth a traceback.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    parser = arguments(__doc__)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanimas-bench-") as folder:
        async with (
            Simulator(limits=SimLimits()) as sim,
            database_target(options.db, Path(folder)) as target,
        ):
            print(f"database: {target.kind}; simulator limits: {SimLimits()}")
            bench = Bench(sim, target, Path(folder))
            process = await measure_startup(bench, options.runs)
            try:
                await asyncio.sleep(IDLE_SECONDS)
                print(f"idle RSS after {IDLE_SECONDS:g} s: {rss_mb(process.pid):.1f} MB")
                await measure_outbox(bench, process.pid)
            finally:
                code = await stop(process)
            print(
                f"bot exit code: {code}; Bot API calls Telegram would refuse: {len(sim.violations)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
