"""A notice to many users through the real `sanimas run`, against a simulator that enforces
Telegram's limits, with members writing to the bot while it goes out.

    python benchmarks/notice.py [--db sqlite|postgres] [--users 10000] [--probes 10]

Prints the achieved rate as a share of `outbox.global_rate`, lost and doubled copies, the p95
delay of a member's reply sent during the notice, and the bot's CPU per delivered message.
Asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import select
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

from bot.settings import OutboxSettings
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals
from models.database import Database
from models.notices import SegmentChoice, create_notice
from models.users import RoleGrant, User
from telesim import SimLimits, Simulator, SimUser
from telesim.models import CallRecord

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.harness import IPAL_ROWS

BOT_COMMAND = (sys.executable, "-m", "bot.cli", "run")
TEXT = "Undangan pelatihan keberlanjutan SANIMAS · Senin 09.00 di Wates"
DRAIN_TIMEOUT = 1800.0
PROBE_EVERY = 3.0
PACED_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
"""Calls that take from the bot's global budget (as the outbox worker paces them)."""


async def seed(
    target: DatabaseTarget, admin: SimUser, members: list[SimUser], probes: list[SimUser]
) -> None:
    """The admin, the recipients (partners: they get notices and nothing else, so no reminder
    is mixed into the figures) and the probes (operators, not in the audience)."""
    database = Database(target.url, schema_name=target.schema)
    now = datetime.now(UTC)
    try:
        async with database.transaction() as session:
            await import_ipals(session, rows=IPAL_ROWS, now=now)
            ipal = await find_ipal(session, code="KP-WTS-01")
            assert ipal is not None
            people = [(admin, Role.ADMIN), *((m, Role.PARTNER) for m in members)]
            people += [(p, Role.OPERATOR) for p in probes]
            users: list[tuple[User, Role]] = []
            for sim_user, role in people:
                user = User(
                    telegram_id=sim_user.id,
                    first_name=sim_user.first_name,
                    language="id",
                    is_blocked=False,
                    deactivation_told=False,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(user)
                users.append((user, role))
            await session.flush()
            for user, role in users:
                session.add(
                    RoleGrant(user_id=user.id, role=role.value, scope_key="-", granted_at=now)
                )
            await session.flush()
    finally:
        await database.dispose()


async def send_notice(target: DatabaseTarget, admin: SimUser) -> None:
    database = Database(target.url, schema_name=target.schema)
    try:
        async with database.transaction() as session:
            user = await session.scalar(select(User).where(User.telegram_id == admin.id))
            assert user is not None
            await create_notice(
                session,
                admin=user,
                text_html=TEXT,
                choices=[SegmentChoice(Role.PARTNER)],
                now=datetime.now(UTC),
            )
    finally:
        await database.dispose()


async def probe(sim: Simulator, user: SimUser, delays: list[float], done: asyncio.Event) -> None:
    """Ask for help every few seconds while the notice goes out; time each answer."""
    while not done.is_set():
        before = len(sim.messages(user.id))
        sent = time.monotonic()
        await sim.send_text(user.id, "/bantuan")
        try:
            await sim.wait_for(partial(answered, sim, user.id, before), timeout=60)
        except TimeoutError:
            delays.append(float("inf"))
        else:
            delays.append(time.monotonic() - sent)
        await asyncio.sleep(PROBE_EVERY)


def answered(sim: Simulator, chat_id: int, before: int) -> bool:
    """Whether the chat got a message since it had `before` of them."""
    return len(sim.messages(chat_id)) > before


async def run(options: object, folder: Path) -> None:
    users, probes_count, kind = options.users, options.probes, options.db  # type: ignore[attr-defined]
    async with Simulator(limits=SimLimits()) as sim, database_target(kind, folder) as target:
        admin = sim.add_user(first_name="Admin")
        members = [sim.add_user(first_name=f"Warga {n}") for n in range(users)]
        probes = [sim.add_user(first_name=f"Operator {n}") for n in range(probes_count)]
        await seed(target, admin, members, probes)
        env = bot_environment(sim, target) | {"SANIMAS_SCHEDULER__SWEEP_SECONDS": "1"}
        process = await spawn(BOT_COMMAND, env, folder / "bot.log")
        try:
            await sim.wait_for(lambda: sim.polling, timeout=60)
            print(f"database: {kind}; {users} recipients; simulator limits: {SimLimits()}")
            cpu_before = cpu_seconds(process.pid)
            delays: list[float] = []
            done = asyncio.Event()
            await send_notice(target, admin)
            tasks = [asyncio.create_task(probe(sim, p, delays, done)) for p in probes]
            chats = {m.id for m in members}

            deadline = time.monotonic() + DRAIN_TIMEOUT
            while delivered(sim, chats) < users:  # polled: a check at every call costs O(n²)
                if time.monotonic() > deadline:
                    print(f"  gave up waiting after {DRAIN_TIMEOUT:g} s")
                    break
                await asyncio.sleep(0.5)
            done.set()
            await asyncio.gather(*tasks)
            await asyncio.sleep(2.0)  # anything sent twice would arrive now
            cpu = cpu_seconds(process.pid) - cpu_before
            report(sim, chats, members, delays, cpu)
        finally:
            await stop(process)
        print(f"Bot API calls Telegram would refuse: {len(sim.violations)}")


def notice_calls(sim: Simulator, chats: set[int]) -> list[CallRecord]:
    """The calls that delivered a copy of the notice."""
    return [
        c
        for c in sim.calls
        if c.method == "sendMessage"
        and c.status == 200
        and c.chat_id in chats
        and TEXT in str(c.params.get("text", ""))
    ]


def delivered(sim: Simulator, chats: set[int]) -> int:
    return len(notice_calls(sim, chats))


def report(
    sim: Simulator, chats: set[int], members: list[SimUser], delays: list[float], cpu: float
) -> None:
    sent = notice_calls(sim, chats)
    span = sent[-1].time - sent[0].time if len(sent) > 1 else float("nan")
    rate = (len(sent) - 1) / span if len(sent) > 1 else 0.0
    configured = OutboxSettings().global_rate
    copies = Counter(m.id for m in members for x in sim.messages(m.id) if TEXT in (x.content or ""))
    lost = sum(1 for m in members if copies[m.id] == 0)
    doubled = sum(1 for count in copies.values() if count > 1)
    print(f"  first to last notice message: {span:.1f} s for {len(sent)} messages")
    if len(sent) > 1:
        gaps = sorted((b.time - a.time, a.time - sent[0].time) for a, b in itertools.pairwise(sent))
        stalls = ", ".join(f"{gap:.2f} s at {at:.0f} s" for gap, at in reversed(gaps[-3:]))
        print(f"  longest pauses between copies: {stalls}")
    print(
        f"  rate: {rate:.2f}/s = {rate / configured:.3f} of outbox.global_rate ({configured:g}/s)"
    )
    if len(sent) > 1:
        start, end = sent[0].time, sent[-1].time
        paced = [
            c
            for c in sim.calls
            if start <= c.time <= end and c.status == 200 and c.method in PACED_METHODS
        ]
        print(
            f"  all paced calls meanwhile (copies, replies, progress edits): {len(paced)},"
            f" {(len(paced) - 1) / span:.2f}/s = {(len(paced) - 1) / span / configured:.3f}"
            " of outbox.global_rate"
        )
    print(f"  lost: {lost}   doubled: {doubled}   429s: {sim.stats.too_many_requests}")
    if lost:
        sample = next(m for m in members if copies[m.id] == 0)
        print(f"  e.g. {sample.id} received: {[x.content for x in sim.messages(sample.id)]}")
    finite = [d for d in delays if d != float("inf")]
    if finite:
        print(
            f"  member replies during the notice: {len(delays)},"
            f" p95 {percentile(finite, 0.95):.2f} s, max {max(finite):.2f} s,"
            f" unanswered {len(delays) - len(finite)}"
        )
    print(f"  bot CPU: {cpu:.1f} s ({1000 * cpu / max(len(sent), 1):.2f} ms per delivered message)")


async def main() -> int:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    parser = arguments(__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=10)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanimas-bench-") as folder:
        await run(options, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
