"""`sanimas sweep --at …` beside a running `sanimas run`: the reminders it queues arrive
through the simulator, and their buttons start the right conversations in the running bot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import SystemClock
from domain.vocabulary import Role
from models.areas import Ipal
from models.conversations import ACTIVE, Conversation
from models.database import Database
from telesim import SimMessage, Simulator, SimUser
from tests.e2e.process import BotProcess
from tests.support.reports import quick_harness

pytestmark = pytest.mark.e2e

AT = "2026-11-25T09:00:00+07:00"
"""Day 25 (the monthly reminder) and 7 days before KP-WTS-01's LLTT due date; the bot's own
clock stays at 16 November, when neither is due, so what arrives is the command's."""
DUE = date(2026, 12, 2)
WAIT = 30.0


def carrying(sim: Simulator, user: SimUser, button: str) -> list[SimMessage]:
    """The bot's messages to `user` with an inline button labelled `button`."""
    found = []
    for message in sim.messages(user.id):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        if any(b.get("text") == button for row in rows for b in row):
            found.append(message)
    return found


def data_of(message: SimMessage, button: str) -> str:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return str(next(b["callback_data"] for row in rows for b in row if b.get("text") == button))


def asked(sim: Simulator, user: SimUser, text: str) -> int:
    return sum(text in (m.content or "") for m in sim.messages(user.id))


async def active_flows(database: Database) -> list[tuple[str, dict[str, object]]]:
    async with database.transaction() as session:
        found = await session.scalars(select(Conversation).where(Conversation.status == ACTIVE))
        return [(c.flow, dict(c.data)) for c in found]


async def test_the_sweep_command_beside_the_running_bot(
    unpaced_simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    tmp_path: Path,
) -> None:
    sim = unpaced_simulator
    async with quick_harness(database_url, clock, sim) as harness:
        await harness.seed_ipals()
        member = await harness.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    async with database.transaction() as session:
        ipal = await session.scalar(select(Ipal).where(Ipal.code == "KP-WTS-01"))
        assert ipal is not None
        ipal.lltt_due_on, ipal.lltt_remind_on = DUE, date(2026, 11, 25)
    process = BotProcess(
        sim, database_url, tmp_path / "bot.log", SANIMAS_CLOCK__START=clock.now().isoformat()
    )
    request = "🚛 Minta sedot lumpur"
    report = "📋 Isi laporan"
    process.start()
    try:
        await sim.wait_for(lambda: sim.polling, timeout=WAIT)
        lltt_before = len(carrying(sim, member, request))
        swept = await process.command("sweep", "--at", AT)
        assert swept.returncode == 0, swept.stderr
        assert "· lltt · KP-WTS-01" in swept.stdout
        assert "· monthly · KP-WTS-01" in swept.stdout
        await sim.wait_for(
            lambda: (
                bool(carrying(sim, member, report))
                and len(carrying(sim, member, request)) > lltt_before
            ),
            timeout=WAIT,
        )
        [monthly] = carrying(sim, member, report)
        assert "Laporan bulan November 2026" in (monthly.content or "")
        lltt = carrying(sim, member, request)[-1]
        assert "2 Desember 2026" in (lltt.content or "")

        await sim.press_button(member.id, monthly.message_id, data_of(monthly, report))
        await sim.wait_for(
            lambda: asked(sim, member, "Bagaimana kondisi IPAL secara umum?") == 1, timeout=WAIT
        )
        assert [flow for flow, _ in await active_flows(database)] == ["report"]
        await sim.send_text(member.id, "/batal")
        await sim.wait_for(lambda: asked(sim, member, "Dibatalkan.") >= 1, timeout=WAIT)

        await sim.press_button(member.id, lltt.message_id, data_of(lltt, request))
        await sim.wait_for(
            lambda: asked(sim, member, "Kapan tanggal yang diinginkan?") == 1, timeout=WAIT
        )
        [(flow, data)] = await active_flows(database)
        assert flow == "desludging"
        assert "lltt_due" in data.values()
    finally:
        await process.stop()
    again = await process.command("sweep", "--at", AT)
    assert again.returncode == 0, again.stderr
    assert "lltt" not in again.stdout and "monthly" not in again.stdout
