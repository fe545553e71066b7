"""A notice scheduled for later through `/siaran` on the real `sanimas run`: nothing goes
before its time; `sanimas sweep --at` a later instant sends it, and in the quiet hours it waits
until `quiet_end`. The bot's clock starts at a set instant (`clock.start`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import SystemClock
from domain.dates import WIB
from domain.joining import CodeProblem
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals
from models.database import Database
from models.invitations import create_invitation, redeem_invitation
from models.notices import Notice, NoticeStatus
from models.outbox import OutboxMessage, OutboxStatus
from models.users import Profile
from telesim import Simulator, SimUser
from tests.e2e.process import BotProcess
from tests.support.harness import IPAL_ROWS

pytestmark = pytest.mark.e2e

TEXT = "Bimbingan teknis pengurasan IPAL komunal"
SEND = "✅ Kirim"
WAIT = 30.0
POLL = 0.05
SLACK = timedelta(seconds=30)
"""The bot's clock runs from its start a little earlier than the test's copy of it."""
MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=WIB)
EVENING = datetime(2026, 12, 1, 20, 50, tzinfo=WIB)

Start = Callable[[datetime], tuple[BotProcess, SystemClock]]


@pytest.fixture
async def start_bot(
    simulator: Simulator, database_url: tuple[str, str | None], tmp_path: Path
) -> AsyncIterator[Start]:
    """Start `sanimas run` with its clock at an instant; stopped at the end."""
    started: list[BotProcess] = []

    def start(at: datetime) -> tuple[BotProcess, SystemClock]:
        process = BotProcess(
            simulator,
            database_url,
            tmp_path / "bot.log",
            SANIMAS_CLOCK__START=at.isoformat(),
            SANIMAS_SCHEDULER__SWEEP_SECONDS="1",
        )
        process.start()
        started.append(process)
        return process, SystemClock(at)

    try:
        yield start
    finally:
        for process in started:
            with contextlib.suppress(RuntimeError):
                await process.stop()


async def people(database: Database, sim: Simulator, at: datetime) -> tuple[SimUser, list[SimUser]]:
    """An admin and three members, joined through invitations."""
    admin = sim.add_user(first_name="Admin", language_code="id")
    members = [sim.add_user(first_name=f"Anggota {n}", language_code="id") for n in range(3)]
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=at)
        ipal = await find_ipal(session, code="KP-WTS-01")
        for sim_user, role in [(admin, Role.ADMIN), *((m, Role.MEMBER) for m in members)]:
            invitation = await create_invitation(
                session,
                role=role,
                ipal=ipal if role is Role.MEMBER else None,
                area=None,
                max_uses=1,
                expires_in=None,
                now=at,
            )
            profile = Profile(sim_user.id, sim_user.first_name, None, None, "id")
            joined = await redeem_invitation(
                session, invitation=invitation, profile=profile, now=at
            )
            assert not isinstance(joined, CodeProblem)
    return admin, members


def shows(sim: Simulator, user: SimUser, text: str) -> Callable[[], bool]:
    def found() -> bool:
        return any(text in (message.content or "") for message in sim.messages(user.id))

    return found


async def recorded(database: Database, user: SimUser, clock: SystemClock) -> None:
    """Wait until the bot has recorded every message to the user as sent: a button pressed
    before the bot knows its message's id would be refused as stale."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while True:
        async with database.transaction() as session:
            waiting = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.chat_id == user.id)
                .where(OutboxMessage.status == OutboxStatus.PENDING)
                .where(OutboxMessage.not_before <= clock.now() + SLACK)
            )
        if not waiting:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{waiting} messages to {user.first_name} still pending")
        await asyncio.sleep(POLL)


async def press(
    sim: Simulator, database: Database, clock: SystemClock, user: SimUser, label: str, then: str
) -> None:
    """Press `label` on the newest message that has it; wait for a message showing `then`."""
    await recorded(database, user, clock)
    for message in reversed(sim.messages(user.id)):
        for row in message.inline_buttons():
            for button in row:
                if button["text"] == label:
                    await sim.press_button(user.id, message.message_id, button["callback_data"])
                    await sim.wait_for(shows(sim, user, then), timeout=WAIT)
                    return
    raise AssertionError(f"no button {label!r} for {user.first_name}")


async def schedule_in_an_hour(
    sim: Simulator, database: Database, clock: SystemClock, admin: SimUser
) -> None:
    """`/siaran` to every member, no RSVP, *1 jam lagi*, *Kirim*."""
    await sim.send_text(admin.id, "/siaran")
    await sim.wait_for(shows(sim, admin, "Siaran baru"), timeout=WAIT)
    await sim.send_text(admin.id, TEXT)
    await sim.wait_for(shows(sim, admin, "Kepada siapa"), timeout=WAIT)
    await press(sim, database, clock, admin, "anggota KSM", "Di wilayah mana")
    await press(sim, database, clock, admin, "Seluruh kabupaten", "Tambah kelompok penerima lain")
    await press(sim, database, clock, admin, "Tidak", "Minta konfirmasi kehadiran")
    await press(sim, database, clock, admin, "Tidak", "Kapan dikirim")
    await press(sim, database, clock, admin, "1 jam lagi", "Siaran siap")
    await sim.wait_for(shows(sim, admin, TEXT), timeout=WAIT)  # the preview
    await press(sim, database, clock, admin, SEND, "dijadwalkan")


def copies(sim: Simulator, user: SimUser) -> int:
    return sum(1 for message in sim.messages(user.id) if TEXT in (message.content or ""))


async def queued(database: Database) -> int:
    """Outbox rows of the notice's fan-out."""
    async with database.transaction() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.key.like("notice:%"), ~OutboxMessage.key.like("%:report"))
        )
    return int(count or 0)


async def sweep_at(process: BotProcess, at: datetime) -> None:
    done = await process.command("sweep", "--at", at.isoformat())
    assert done.returncode == 0, done.stdout + done.stderr


async def test_a_notice_for_later_goes_at_its_time_not_before(
    simulator: Simulator, database: Database, start_bot: Start
) -> None:
    """Scheduled at 10:00 for 11:00: a sweep as of 10:30 sends nothing, one as of 11:05 sends
    it to each member once, and the report comes back."""
    admin, members = await people(database, simulator, SystemClock(MORNING).now())
    bot, clock = start_bot(MORNING)
    await schedule_in_an_hour(simulator, database, clock, admin)
    await sweep_at(bot, datetime(2026, 12, 1, 10, 30, tzinfo=WIB))
    assert await queued(database) == 0
    assert [copies(simulator, member) for member in members] == [0, 0, 0]
    await sweep_at(bot, datetime(2026, 12, 1, 11, 5, tzinfo=WIB))
    await simulator.wait_for(
        lambda: all(copies(simulator, member) == 1 for member in members), timeout=WAIT
    )
    await simulator.wait_for(shows(simulator, admin, "Laporan siaran"), timeout=WAIT)
    assert [copies(simulator, member) for member in members] == [1, 1, 1]
    report = next(m.content for m in simulator.messages(admin.id) if "Laporan" in (m.content or ""))
    assert report is not None and "Terkirim: 3" in report, bot.log()


async def test_a_notice_due_in_the_quiet_hours_waits_until_quiet_end(
    simulator: Simulator, database: Database, start_bot: Start
) -> None:
    """Scheduled at 20:50 for 21:50, inside the quiet hours (21:00–06:00): sweeps as of 21:55
    and 05:59 send nothing; one as of 06:01 sends it."""
    admin, members = await people(database, simulator, SystemClock(EVENING).now())
    bot, clock = start_bot(EVENING)
    await schedule_in_an_hour(simulator, database, clock, admin)
    for at in (datetime(2026, 12, 1, 21, 55, tzinfo=WIB), datetime(2026, 12, 2, 5, 59, tzinfo=WIB)):
        await sweep_at(bot, at)
        assert await queued(database) == 0, at
    async with database.transaction() as session:
        notice = await session.scalar(select(Notice))
    assert notice is not None and notice.status is NoticeStatus.SCHEDULED
    assert [copies(simulator, member) for member in members] == [0, 0, 0]
    await sweep_at(bot, datetime(2026, 12, 2, 6, 1, tzinfo=WIB))
    await simulator.wait_for(
        lambda: all(copies(simulator, member) == 1 for member in members), timeout=WAIT
    )
    await simulator.wait_for(shows(simulator, admin, "Laporan siaran"), timeout=WAIT)
    assert [copies(simulator, member) for member in members] == [1, 1, 1]
