"""Helpers for the KSM members' flow tests: a bot without flood pacing, and the people around it.

The flow tests send dozens of messages to one chat; at Telegram's real pace (about one a
second per chat, which the outbox tests check) each would take half a minute. `quick_harness`
runs the same application with the per-chat budgets lifted in both the bot and the simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select

from bot.app import build_application, running
from bot.clock import SystemClock
from domain.vocabulary import Role
from models.base import Base
from telesim import SimLimits, SimMessage, Simulator, SimUser
from tests.support.harness import BotHarness, test_settings

Row = TypeVar("Row", bound=Base)
UNPACED_CHAT_RATE = 1000.0


@asynccontextmanager
async def quick_harness(
    database_url: tuple[str, str | None],
    clock: SystemClock,
    sim: Simulator | None = None,
    **sections: dict[str, Any],
) -> AsyncIterator[BotHarness]:
    """The real bot on the given database without per-chat pacing, polling `sim` (or a new
    simulator of its own, checked for refused calls at the end); `sections` override
    settings."""
    own = sim is None
    simulator = Simulator(limits=SimLimits(private_burst=None)) if sim is None else sim
    if own:
        await simulator.start()
    try:
        url, schema = database_url
        settings = test_settings(simulator, url, schema, **sections)
        outbox = settings.outbox.model_copy(
            update={"chat_rate": UNPACED_CHAT_RATE, "chat_burst": int(UNPACED_CHAT_RATE)}
        )
        application = build_application(settings.model_copy(update={"outbox": outbox}), clock=clock)
        async with running(application) as runtime:
            yield BotHarness(sim=simulator, runtime=runtime, clock=clock)
    finally:
        if own:
            await simulator.stop()
    if own:
        assert simulator.violations == [], f"calls Telegram would refuse: {simulator.violations}"


@dataclass
class People:
    """A member of KP-WTS-01 (Triharjo, Wates) and everybody who could be alerted about it."""

    member: SimUser
    kalurahan: SimUser
    other_kalurahan: SimUser
    kapanewon: SimUser
    other_kapanewon: SimUser
    admin: SimUser
    operator: SimUser

    def officials(self) -> dict[str, SimUser]:
        return {name: user for name, user in vars(self).items() if name != "member"}


async def gather_people(harness: BotHarness, *, language: str = "id") -> People:
    """Seed the IPALs, then join a member and one of each official role."""
    await harness.seed_ipals()
    join = harness.join
    return People(
        member=await join(Role.MEMBER, name="Sri", language=language, ipal="KP-WTS-01"),
        kalurahan=await join(
            Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
        ),
        other_kalurahan=await join(
            Role.KALURAHAN_OFFICIAL, name="Lurah Lain", kapanewon="Wates", kalurahan="Bendungan"
        ),
        kapanewon=await join(Role.KAPANEWON_OFFICIAL, name="Panewu", kapanewon="Wates"),
        other_kapanewon=await join(
            Role.KAPANEWON_OFFICIAL, name="Panewu Lain", kapanewon="Pengasih"
        ),
        admin=await join(Role.ADMIN, name="Admin"),
        operator=await join(Role.OPERATOR, name="Operator"),
    )


def counts(harness: BotHarness, people: People) -> dict[str, int]:
    """How many bot messages each official has now (to see who got something new)."""
    return {name: len(harness.sim.messages(user.id)) for name, user in people.officials().items()}


def alerted(
    harness: BotHarness, people: People, before: dict[str, int]
) -> dict[str, list[SimMessage]]:
    """The new bot messages of every official who got any since `before`."""
    news = {
        name: harness.sim.messages(user.id)[before[name] :]
        for name, user in people.officials().items()
    }
    return {name: messages for name, messages in news.items() if messages}


async def send_photo(
    harness: BotHarness, user: SimUser, caption: str | None = None
) -> list[SimMessage]:
    return await _after(harness, user, harness.sim.send_photo(user.id, caption=caption))


async def send_voice(harness: BotHarness, user: SimUser) -> list[SimMessage]:
    return await _after(harness, user, harness.sim.send_voice(user.id))


async def send_sticker(harness: BotHarness, user: SimUser) -> list[SimMessage]:
    return await _after(harness, user, harness.sim.send_sticker(user.id))


async def send_location(
    harness: BotHarness, user: SimUser, latitude: float, longitude: float
) -> list[SimMessage]:
    return await _after(harness, user, harness.sim.send_location(user.id, latitude, longitude))


async def _after(harness: BotHarness, user: SimUser, action: Any) -> list[SimMessage]:
    before = len(harness.sim.messages(user.id))
    await action
    await harness.settle()
    return harness.sim.messages(user.id)[before:]


async def rows(harness: BotHarness, model: type[Row]) -> list[Row]:
    """Every row of `model`, oldest first."""
    async with harness.db.transaction() as session:
        return list(await session.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]


def texts_of(messages: list[SimMessage]) -> str:
    return "\n".join(message.content or "" for message in messages)


async def press_starting(harness: BotHarness, user: SimUser, prefix: str) -> list[SimMessage]:
    """Press the newest inline button whose label starts with `prefix` (labels with dates)."""
    labels = [label for label in harness.buttons(user) if label.startswith(prefix)]
    if not labels:
        raise AssertionError(f"no button starting {prefix!r}: {harness.buttons(user)}")
    return await harness.press(user, labels[0])


async def answer_typed(
    harness: BotHarness, member: SimUser, *, condition: str = "berfungsi baik"
) -> None:
    """Type every answer of a report up to its summary, as a member without buttons would."""
    for text in (condition, "tidak ada", "58 SR", "45", "150 ribu", "ya", "iya", "sudah"):
        await harness.say(member, text)
    for text in ("lewati", "lewati", "tidak ada"):
        await harness.say(member, text)


async def press_together(harness: BotHarness, members: list[SimUser]) -> None:
    """Each member presses the first button of their newest message, all at the same moment."""
    presses = []
    for member in members:
        newest = harness.sim.messages(member.id)[-1]
        presses.append(
            harness.sim.press_button(member.id, newest.message_id, newest.callback_data()[0])
        )
    await asyncio.gather(*presses)
    await harness.settle()
