"""Many members send the monthly report at once: the real bot's cost and latency per update,
next to a bare python-telegram-bot echo bot driven with the same sequence of updates.

    python benchmarks/monthly_report.py [--db sqlite|postgres] [--users 50] [--think 0]

Both bots run as child processes against a simulator in this process that enforces no flood
limits (the echo bot does not pace itself; the real bot does, through its outbox).
Prints figures; asserts nothing about speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from drive import Driver, OutboxWatch, latencies
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

from bot.demo import kalurahan_names
from bot.demo_report import MAX_ANSWERS, choose_button, typed_answer
from bot.menus import Action, menu_action
from bot.simulator import SimLimits, Simulator
from domain.registry_csv import IpalRow
from domain.vocabulary import Role
from models.areas import AreaLevel
from models.database import Database
from models.membership import create_invitation
from models.registry import find_area, find_ipal, import_ipals

SANIMAS = (sys.executable, "-m", "bot.cli", "run")
ECHO = (sys.executable, str(Path(__file__).with_name("echo_bot.py")))
SEND = "send"
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Result:
    name: str
    updates: int
    seconds: float
    cpu: float
    latency: list[float]

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
            f"latency p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms"
        )


def registry(users: int) -> list[IpalRow]:
    """One IPAL per member, each in its own kalurahan of the packaged region list."""
    places = list(kalurahan_names().values())
    return [
        IpalRow(n + 2, f"KP-B{n:03d}", f"IPAL Uji {n:03d}", *places[n % len(places)], None,
                None, None, 40, 2020, None, None)
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
                member, official = (
                    await create_invitation(
                        session, role=role, ipal=ipal if role is Role.MEMBER else None,
                        area=area if role is not Role.MEMBER else None, max_uses=1,
                        expires_in=None, now=now,
                    )
                    for role in (Role.MEMBER, Role.KALURAHAN_OFFICIAL)
                )
                codes.append((member.code, official.code))
    finally:
        await database.dispose()
    return codes


async def started(sim: Simulator, command: tuple[str, ...], env: dict[str, str], log: Path) -> (
    asyncio.subprocess.Process
):
    seen = len(sim.calls)
    process = await spawn(command, env, log)
    await sim.wait_for(
        lambda: any(call.method == "getUpdates" for call in sim.calls[seen:]),
        timeout=START_TIMEOUT,
    )
    return process


async def report(driver: Driver, chat_id: int) -> list[str]:
    """Tap the report button and answer as the demo does, up to *Kirim*; returns action kinds."""
    sim = driver.sim
    menu = [label for row in sim.reply_keyboard(chat_id) or [] for label in row]
    await driver.say(chat_id, next(x for x in menu if menu_action(x) is Action.REPORT))
    pressed: set[str] = set()
    tries: dict[str, int] = {}
    for _ in range(MAX_ANSWERS):
        question = sim.messages(chat_id)[-1]
        choice = choose_button(question, pressed)
        if choice is not None:
            value = choice[1].rsplit("|", 1)[-1]
            pressed.add(value)
            await driver.press(chat_id, question.message_id, choice[1])
            if value == SEND:
                break
            continue
        text = question.content or ""
        tries[text] = tries.get(text, 0) + 1
        await driver.say(chat_id, typed_answer(text, sim.reply_keyboard(chat_id) or [], tries[text] - 1))
    return [action.kind for action in driver.actions if action.chat_id == chat_id]


async def replay(driver: Driver, chat_id: int, kinds: list[str]) -> None:
    """The same sequence of texts and presses, against the echo bot."""
    for number, kind in enumerate(kinds):
        if kind == "text":
            await driver.say(chat_id, str(number))
        else:
            message = driver.sim.messages(chat_id)[-1]
            await driver.press(chat_id, message.message_id, message.callback_data()[0])


async def run_sanimas(target: DatabaseTarget, folder: Path, users: int, think: float) -> tuple[
    Result, list[list[str]]
]:
    codes = await seed(target, registry(users))
    async with Simulator(limits=SimLimits.unlimited()) as sim:
        env = bot_environment(sim, target) | {"SANIMAS_SCHEDULER__SWEEP_SECONDS": "3600"}
        process = await started(sim, SANIMAS, env, folder / "sanimas.log")
        watch = OutboxWatch(target.url, target.schema)
        watching = asyncio.create_task(watch.run())
        try:
            members = [sim.add_user(f"Anggota {n}").id for n in range(users)]
            officials = [sim.add_user(f"Petugas {n}").id for n in range(users)]
            setup = Driver(sim, watch)
            await asyncio.gather(*(
                setup.say(chat, f"/start {code}")
                for chat, code in zip([*members, *officials], [c for c, _ in codes] + [c for _, c in codes], strict=True)
            ))
            driver = Driver(sim, watch, think)
            result, kinds = await measure("sanimas", process.pid, driver, members, report)
        finally:
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
            await stop(process)
        print(f"  alerts delivered to officials: {sum(len(sim.messages(o)) - 1 for o in officials)}; "
              f"calls Telegram would refuse: {len(sim.violations)}")
    return result, kinds


async def measure(name, pid, driver, chats, drive):  # noqa: ANN001, ANN201
    ...
