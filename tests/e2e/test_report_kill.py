"""SIGKILL of the real `sanimas run` in the middle of a monthly report and of its *Kirim*.

The report is filled quickly by the same application in this process (no per-chat pacing);
the risky step then runs in the real process, which is killed while its answer is in flight.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import SystemClock
from domain.vocabulary import Role
from models.conversations import ACTIVE, Conversation
from models.database import Database
from models.reports import MonthlyReport
from telesim import Simulator, SimUser
from tests.e2e.process import BotProcess
from tests.support.harness import BotHarness
from tests.support.reports import answer_typed, quick_harness

pytestmark = pytest.mark.e2e


async def prepare(harness: BotHarness, *, to_summary: bool) -> tuple[SimUser, SimUser]:
    """A member with a report under way (or at its summary) and their kalurahan official."""
    await harness.seed_ipals()
    member = await harness.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    official = await harness.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
    )
    await harness.say(member, "/lapor")
    if to_summary:
        await answer_typed(harness, member, condition="tidak berfungsi")
    else:
        for text in ("berfungsi baik", "tidak ada"):
            await harness.say(member, text)
    return member, official


def real_process(
    sim: Simulator, database_url: tuple[str, str | None], tmp_path: Path, clock: SystemClock
) -> BotProcess:
    """The real bot, its clock where the in-process part left off (so nothing looks idle)."""
    return BotProcess(
        sim, database_url, tmp_path / "bot.log", SANIMAS_CLOCK__START=clock.now().isoformat()
    )


def containing(sim: Simulator, user: SimUser, text: str) -> list[str]:
    return [m.content or "" for m in sim.messages(user.id) if text in (m.content or "")]


async def kill_in_flight(sim: Simulator, process: BotProcess, act: object, *, calls: int) -> None:
    """Start the process, do `act`, kill it while its first `calls` messages are held (none
    applied by Telegram yet), then restart it."""
    process.start()
    await sim.wait_for(lambda: sim.polling, timeout=20)
    holds = [sim.hold_next("sendMessage") for _ in range(calls)]
    await act  # type: ignore[misc]
    await sim.wait_for(lambda: all(hold.arrived.is_set() for hold in holds), timeout=20)
    process.kill()
    for hold in holds:
        hold.release(apply=False)
    process.start()


async def test_kill_in_the_middle_of_a_report(
    unpaced_simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    tmp_path: Path,
) -> None:
    """Killed while the next question is on the wire: it comes once, the answers are kept."""
    sim = unpaced_simulator
    async with quick_harness(database_url, clock, sim) as harness:
        member, _ = await prepare(harness, to_summary=False)
    process = real_process(sim, database_url, tmp_path, clock)
    try:
        await kill_in_flight(sim, process, sim.send_text(member.id, "58"), calls=1)
        await sim.wait_for(lambda: bool(containing(sim, member, "membayar iuran")), timeout=20)
        await sim.send_text(member.id, "45")
        await sim.wait_for(
            lambda: bool(containing(sim, member, "iuran yang terkumpul")), timeout=20
        )
    finally:
        await process.stop()
    assert len(containing(sim, member, "membayar iuran")) == 1
    async with database.transaction() as session:
        conversation = await session.scalar(
            select(Conversation).where(Conversation.status == ACTIVE)
        )
    assert conversation is not None
    assert conversation.step == "fee"
    assert conversation.data["condition"] == "good"
    assert (conversation.data["connections"], conversation.data["paying"]) == (58, 45)


async def test_kill_while_confirming_a_report(
    unpaced_simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    tmp_path: Path,
) -> None:
    """Killed while *Kirim*'s messages are on the wire: one report, one confirmation, one alert."""
    sim = unpaced_simulator
    async with quick_harness(database_url, clock, sim) as harness:
        member, official = await prepare(harness, to_summary=True)
    process = real_process(sim, database_url, tmp_path, clock)
    try:
        confirmation_and_alert = 2
        await kill_in_flight(
            sim, process, sim.send_text(member.id, "kirim"), calls=confirmation_and_alert
        )
        await sim.wait_for(lambda: bool(containing(sim, member, "tersimpan")), timeout=20)
        await sim.wait_for(lambda: bool(containing(sim, official, "Laporan November")), timeout=20)
    finally:
        await process.stop()
    assert len(containing(sim, member, "tersimpan")) == 1
    assert len(containing(sim, official, "Laporan November")) == 1
    async with database.transaction() as session:
        reports = list(await session.scalars(select(MonthlyReport)))
    assert [(report.condition, report.status) for report in reports] == [("broken", "current")]
