"""SIGKILL of the real `sanimas run` while a notice goes out: after a restart it continues,
and nobody gets two copies but the one message that was on the wire."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select

from bot.settings import OutboxSettings
from domain.joining import CodeProblem
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals
from models.database import Database
from models.invitations import create_invitation, redeem_invitation
from models.notices import Notice, NoticeStatus, SegmentChoice, create_notice
from models.users import Profile, User
from telesim import Simulator, SimUser
from tests.e2e.process import CLOCK, BotProcess
from tests.support.harness import IPAL_ROWS

pytestmark = pytest.mark.e2e

TEXT = "Bimbingan teknis IPAL komunal"
MEMBERS = 30


async def _joined(session: object, sim_user: SimUser, role: Role, ipal: object) -> User:
    now = CLOCK.now()
    invitation = await create_invitation(
        session,  # type: ignore[arg-type]
        role=role,
        ipal=ipal,  # type: ignore[arg-type]
        area=None,
        max_uses=1,
        expires_in=None,
        now=now,
    )
    profile = Profile(sim_user.id, sim_user.first_name, None, None, "id")
    outcome = await redeem_invitation(session, invitation=invitation, profile=profile, now=now)  # type: ignore[arg-type]
    assert not isinstance(outcome, CodeProblem)
    return outcome[0]


async def _notice_to_members(database: Database, sim: Simulator) -> tuple[SimUser, list[SimUser]]:
    admin = sim.add_user(first_name="Admin")
    members = [sim.add_user(first_name=f"Anggota {n}") for n in range(MEMBERS)]
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=CLOCK.now())
        ipal = await find_ipal(session, code="KP-WTS-01")
        admin_user = await _joined(session, admin, Role.ADMIN, None)
        for member in members:
            await _joined(session, member, Role.MEMBER, ipal)
        await create_notice(
            session,
            admin=admin_user,
            text_html=TEXT,
            choices=[SegmentChoice(Role.MEMBER)],
            now=CLOCK.now(),
        )
    return admin, members


def _copies(sim: Simulator, user: SimUser) -> int:
    return sum(1 for m in sim.messages(user.id) if TEXT in (m.content or ""))


async def _done(database: Database) -> bool:
    async with database.transaction() as session:
        status = await session.scalar(select(Notice.status))
    return status is NoticeStatus.DONE


async def test_kill_mid_notice_continues_after_restart(
    simulator: Simulator, database: Database, bot_process: BotProcess
) -> None:
    """Killed with one notice message on the wire (Telegram applied it, the bot never heard):
    after restart everyone has the notice; only messages in flight at the kill (at most one per
    chat, at most the outbox's concurrency in all) arrive twice."""
    admin, members = await _notice_to_members(database, simulator)
    hold = simulator.hold_next("sendMessage")
    bot_process.start()
    await simulator.wait_for(hold.arrived.is_set, timeout=30)
    bot_process.kill()
    hold.release(apply=True)
    bot_process.start()
    for _ in range(1500):
        if await _done(database):
            break
        await asyncio.sleep(0.02)
    assert await _done(database), bot_process.log()
    copies = [_copies(simulator, member) for member in members]
    assert min(copies) == 1 and max(copies) <= 2, copies  # at most one repeat per chat
    assert sum(copies) - MEMBERS <= OutboxSettings().concurrency, copies
    await simulator.wait_for(
        lambda: any("Laporan siaran" in (m.content or "") for m in simulator.messages(admin.id)),
        timeout=20,
    )
    report = next(
        m.content or ""
        for m in simulator.messages(admin.id)
        if "Laporan siaran" in (m.content or "")
    )
    # the report counts what may have arrived twice: every real repeat (the held call may be
    # the admin's progress message, then no copy repeats), and no more than the calls that can
    # be on the wire at once
    found = re.search(r"Mungkin diterima dua kali: (\d+)", report)
    counted = int(found[1]) if found else 0
    assert sum(copies) - MEMBERS <= counted <= OutboxSettings().concurrency, (copies, report)
