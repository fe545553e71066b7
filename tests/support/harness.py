"""Drive the real bot through the simulator as users would, and read what they saw."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.app import build_application, running
from bot.clock import SystemClock
from bot.demo.settling import caught_up
from bot.features import Feature
from bot.runtime import Runtime
from bot.settings import ExplicitSettings, Settings
from domain.registry_csv import IpalRow
from domain.vocabulary import Role
from models.areas import AreaLevel, Ipal, find_area, find_ipal, import_ipals
from models.database import Database
from models.invitations import create_invitation
from telesim import SimMessage, Simulator, SimUser

SETTLE_TIMEOUT = 15.0
SETTLE_POLL = 0.02


def test_settings(
    sim: Simulator, url: str, schema: str | None, **sections: dict[str, Any]
) -> Settings:
    data: dict[str, Any] = {
        "telegram": {
            "token": sim.token,
            "base_url": sim.base_url,
            "base_file_url": sim.base_file_url,
            "poll_timeout": 1,
        },
        "database": {"url": url, "schema_name": schema},
        "scheduler": {"sweep_seconds": 3600},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return ExplicitSettings.model_validate(data)


IPAL_ROWS = [
    IpalRow(
        2,
        "KP-WTS-01",
        "IPAL Ngestiharjo Asri",
        "Wates",
        "Triharjo",
        "Pedukuhan I",
        -7.857,
        110.158,
        60,
        2019,
        date(2024, 11, 1),
        24,
    ),
    IpalRow(
        3,
        "KP-WTS-02",
        "IPAL Sidomulyo",
        "Wates",
        "Bendungan",
        None,
        None,
        None,
        40,
        2021,
        None,
        None,
    ),
    IpalRow(
        4,
        "KP-PGR-01",
        "IPAL Sido Resik",
        "Pengasih",
        "Sendangsari",
        None,
        None,
        None,
        55,
        2018,
        date(2023, 5, 20),
        24,
    ),
]


@dataclass
class BotHarness:
    sim: Simulator
    runtime: Runtime
    clock: SystemClock

    @property
    def db(self) -> Database:
        return self.runtime.db

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:  # noqa: ASYNC109
        """Wait until every update is handled and every due outbox row delivered."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not await self._settled():
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"the bot did not settle in {timeout} s")
            await asyncio.sleep(SETTLE_POLL)

    async def _settled(self) -> bool:
        if self.runtime.jobs.busy:
            return False
        return await caught_up(self.sim, self.db, now=self.clock.now())

    async def seed_ipals(self, rows: list[IpalRow] | None = None) -> None:
        async with self.db.transaction() as session:
            await import_ipals(session, rows=rows or IPAL_ROWS, now=self.clock.now())

    async def invite(
        self,
        role: Role,
        *,
        ipal: str | None = None,
        kapanewon: str | None = None,
        kalurahan: str | None = None,
        uses: int = 1,
        expires_in: timedelta | None = None,
    ) -> str:
        async with self.db.transaction() as session:
            found_ipal: Ipal | None = await find_ipal(session, code=ipal) if ipal else None
            area = None
            if kapanewon:
                area = await find_area(
                    session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None
                )
                if kalurahan:
                    area = await find_area(
                        session, level=AreaLevel.KALURAHAN, name=kalurahan, parent=area
                    )
            invitation = await create_invitation(
                session,
                role=role,
                ipal=found_ipal,
                area=area,
                max_uses=uses,
                expires_in=expires_in,
                now=self.clock.now(),
            )
            return invitation.code

    async def join(
        self, role: Role, *, name: str = "Sri", language: str = "id", **scope: Any
    ) -> SimUser:
        """A new Telegram user who opens the invitation's deep link."""
        user = self.sim.add_user(first_name=name, language_code=language)
        code = await self.invite(role, **scope)
        await self.say(user, f"/start {code}")
        return user

    async def say(self, user: SimUser, text: str) -> list[SimMessage]:
        """Send a text; returns the bot messages that came after it."""
        before = len(self.sim.messages(user.id))
        await self.sim.send_text(user.id, text)
        await self.settle()
        return self.sim.messages(user.id)[before:]

    async def press(self, user: SimUser, label: str) -> list[SimMessage]:
        """Press the inline button with this label on the newest message that has it."""
        before = len(self.sim.messages(user.id))
        for message in reversed(self.sim.messages(user.id)):
            for row in message.inline_buttons():
                for button in row:
                    if button["text"] == label:
                        await self.sim.press_button(
                            user.id, message.message_id, button["callback_data"]
                        )
                        await self.settle()
                        return self.sim.messages(user.id)[before:]
        raise AssertionError(f"no button {label!r} in chat {user.id}: {self.buttons(user)}")

    def buttons(self, user: SimUser) -> list[str]:
        """Labels of the inline buttons on the newest bot message that has any."""
        for message in reversed(self.sim.messages(user.id)):
            labels = [button["text"] for row in message.inline_buttons() for button in row]
            if labels:
                return labels
        return []

    def last_text(self, user: SimUser) -> str:
        messages = self.sim.messages(user.id)
        return messages[-1].content or "" if messages else ""

    def texts(self, user: SimUser) -> list[str]:
        return [message.content or "" for message in self.sim.messages(user.id)]


@asynccontextmanager
async def start_harness(
    sim: Simulator,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    *,
    features: Sequence[Feature] | None = None,
    **sections: dict[str, Any],
) -> AsyncIterator[BotHarness]:
    """The real bot polling `sim`; `features` replaces the product's own when given."""
    url, schema = database_url
    settings = test_settings(sim, url, schema, **sections)
    application = build_application(settings, clock=clock, features=features)
    async with running(application) as runtime:
        yield BotHarness(sim=sim, runtime=runtime, clock=clock)
