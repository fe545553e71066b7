"""Admins sending notices through the bot, and the people a notice should or should not reach."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal
from models.invitations import create_invitation
from models.notices import Notice, NoticeStatus
from models.users import User, set_active
from telesim import SimUser
from tests.support.harness import BotHarness

WAIT_TIMEOUT = 20.0
WAIT_POLL = 0.02
SEND = "✅ Kirim"


async def join_as(
    harness: BotHarness,
    role: Role,
    name: str,
    *,
    ipal: str | None = None,
    kapanewon: str | None = None,
    kalurahan: str | None = None,
    organisation: str | None = None,
) -> SimUser:
    """A new user joined with `role` through an invitation carrying `organisation`."""
    async with harness.db.transaction() as session:
        found = await find_ipal(session, code=ipal) if ipal else None
        area = None
        if kapanewon:
            area = await find_area(session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None)
            if kalurahan:
                area = await find_area(
                    session, level=AreaLevel.KALURAHAN, name=kalurahan, parent=area
                )
        invitation = await create_invitation(
            session,
            role=role,
            ipal=found,
            area=area,
            max_uses=1,
            expires_in=None,
            now=harness.clock.now(),
            organisation=organisation,
        )
    user = harness.sim.add_user(first_name=name, language_code="id")
    await harness.say(user, f"/start {invitation.code}")
    return user


async def deactivate(harness: BotHarness, sim_user: SimUser) -> None:
    async with harness.db.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == sim_user.id))
        assert user is not None
        await set_active(session, user=user, active=False, now=harness.clock.now())


async def write_notice(harness: BotHarness, admin: SimUser, text: str, *choices: str) -> None:
    """`/siaran`, the text, then one button per choice (labels as the admin sees them)."""
    await harness.say(admin, "/siaran")
    await harness.say(admin, text)
    for choice in choices:
        await harness.press(admin, choice)


async def latest_notice(harness: BotHarness) -> Notice | None:
    async with harness.db.transaction() as session:
        return await session.scalar(select(Notice).order_by(Notice.id.desc()).limit(1))


async def wait_until_done(harness: BotHarness, timeout: float = WAIT_TIMEOUT) -> Notice:  # noqa: ASYNC109
    """Wait until the newest notice is done or cancelled, and the bot has settled."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        notice = await latest_notice(harness)
        if notice is not None and notice.status in (NoticeStatus.DONE, NoticeStatus.CANCELLED):
            await harness.settle()
            return notice
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"the notice did not finish in {timeout} s: {notice}")
        await asyncio.sleep(WAIT_POLL)


def copies(harness: BotHarness, user: SimUser, text: str) -> int:
    """How many bot messages in the user's chat carry `text`."""
    return sum(1 for message in harness.sim.messages(user.id) if text in (message.content or ""))
