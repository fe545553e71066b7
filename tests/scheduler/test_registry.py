"""Sweeps run by `run_sweeps` reach users through the outbox, once, and wait out the night."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import WIB
from bot.settings import Settings
from domain.vocabulary import Role
from models.outbox import OutboxMessage
from models.users import RoleGrant, User
from scheduler.registry import SWEEPS, Sweep, SweepFunction, run_sweeps
from scheduler.sweeps import post
from tests.support.harness import BotHarness


def greeting(text: str) -> SweepFunction:
    """A sweep that sends `text` to every KSM member, once per member."""

    async def greet(
        session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
    ) -> int:
        members = await session.scalars(
            select(User).join(RoleGrant).where(RoleGrant.role == Role.MEMBER).order_by(User.id)
        )
        sent = 0
        for user in members.unique():
            sent += await post(
                session,
                chat_id=user.telegram_id,
                method="sendMessage",
                params={"text": text},
                key=f"test-greeting:{text}:{user.id}",
                now=now,
                not_before=not_before,
            )
        return sent

    return greet


HELLO = Sweep("test:hello", greeting("Halo dari bot"), waits_out_quiet_hours=False)
MORNING = Sweep("test:morning", greeting("Selamat pagi"), waits_out_quiet_hours=True)


def received(harness: BotHarness, user_id: int, text: str) -> int:
    return sum(message.content == text for message in harness.sim.messages(user_id))


async def test_a_sweep_sends_to_a_user_without_a_turn(harness: BotHarness) -> None:
    """A registered sweep's message reaches the member once, though the sweeps ran twice."""
    await harness.seed_ipals()
    member = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    at = harness.clock.now()
    first = await run_sweeps(harness.runtime, at=at, sweeps=(*SWEEPS, HELLO))
    second = await run_sweeps(harness.runtime, at=at, sweeps=(*SWEEPS, HELLO))
    await harness.settle()
    assert first == {"conversations:idle": 0, "problems:check-back": 0, "test:hello": 1}
    assert second == {"conversations:idle": 0, "problems:check-back": 0, "test:hello": 0}
    assert received(harness, member.id, "Halo dari bot") == 1


async def test_a_waiting_sweep_holds_its_message_until_quiet_hours_end(
    harness: BotHarness,
) -> None:
    """At 22:00 a sweep that waits out the quiet hours is held until 06:00; one that does not
    wait is delivered at once."""
    await harness.seed_ipals()
    member = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    harness.clock.advance(timedelta(hours=13))  # Monday 22:00 WIB
    assert await run_sweeps(harness.runtime, at=harness.clock.now(), sweeps=(HELLO, MORNING)) == {
        "test:hello": 1,
        "test:morning": 1,
    }
    await harness.settle()
    assert received(harness, member.id, "Halo dari bot") == 1
    assert received(harness, member.id, "Selamat pagi") == 0
    async with harness.db.transaction() as session:
        held = await session.scalar(
            select(OutboxMessage.not_before).where(OutboxMessage.key.like("test-greeting:Selamat%"))
        )
    assert held is not None and held.astimezone(WIB) == datetime(2026, 11, 17, 6, 0, tzinfo=WIB)
    harness.clock.advance(timedelta(hours=8))  # Tuesday 06:00 WIB
    harness.runtime.wake_delivery()
    await harness.settle()
    assert received(harness, member.id, "Selamat pagi") == 1
