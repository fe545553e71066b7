"""Acting as the demo's people against the running bot, one answered step at a time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.demo.settling import caught_up
from bot.demo.transcript import Person, Transcript
from bot.runtime import Runtime
from domain.errors import TextError
from domain.registry_csv import IpalRow
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal
from models.invitations import create_invitation
from telesim import SimMessage, Simulator

STEP_TIMEOUT = 10.0
SETTLE_POLL = 0.02


class StepError(TextError):
    """The bot did not answer a step in time, or the walk can't go on; the key says which."""


@dataclass
class Walk:
    """The simulator, the running bot and the people of the demo."""

    sim: Simulator
    runtime: Runtime
    clock: Clock
    transcript: Transcript
    ipals: dict[str, IpalRow]
    """The seeded IPALs by code."""
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, key: str) -> Person:
        return self.people[key]

    async def invite(
        self,
        role: Role,
        *,
        ipal: str | None = None,
        kapanewon: str | None = None,
        kalurahan: str | None = None,
        organisation: str | None = None,
    ) -> str:
        """A one-use invitation code, made the way `sanimas invite create` makes it."""
        async with self.runtime.db.transaction() as session:
            found = await find_ipal(session, code=ipal) if ipal else None
            area = None
            if kapanewon:
                area = await find_area(
                    session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None
                )
            if area is not None and kalurahan:
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
                now=self.clock.now(),
                organisation=organisation,
            )
            return invitation.code

    def add_person(self, key: str, name: str, role: str, language: str = "id") -> Person:
        person = Person(self.sim.add_user(first_name=name, language_code=language), role)
        self.people[key] = person
        self.transcript.watch(person)
        return person

    async def say(self, person: Person, text: str) -> None:
        """Send a text as `person` and print what the bot answered."""
        await self.sim.send_text(person.user.id, text)
        what = self.transcript.texts.plain("demo-what-said", text=repr(text), name=person.name)
        await self._answered(person, what, query=None)

    async def press(self, person: Person, message: SimMessage, label: str, data: str) -> None:
        """Press a button of `message` as `person` and print the answer."""
        self.transcript.show_press(person, label)
        query = await self.sim.press_button(person.user.id, message.message_id, data)
        what = self.transcript.texts.plain("demo-what-pressed", name=person.name, label=label)
        await self._answered(person, what, query=query)

    async def press_label(self, person: Person, label: str) -> None:
        """Press the button labelled `label` on the newest bot message that shows it."""
        for message in reversed(self.sim.messages(person.user.id)):
            for row in message.inline_buttons():
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        await self.press(person, message, label, button["callback_data"])
                        return
        raise StepError("demo-no-button", {"name": person.name, "label": label})

    async def _answered(self, person: Person, what: str, *, query: str | None) -> None:
        """Wait until the bot handled everything and delivered what is due; print it."""
        await self.settle(what)
        answer = self.sim.callback_answer(query) if query is not None else None
        if answer is not None:
            self.transcript.show_answer(answer)
        if self.transcript.show_new(person) == 0 and answer is None:
            raise StepError("demo-no-answer", {"what": what})

    async def wait_for_text(self, person: Person, text: str, what: str) -> None:
        """Wait until a bot message to `person` holds `text` (work of a sweep), and print it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP_TIMEOUT
        while not any(text in (m.content or "") for m in self.sim.messages(person.user.id)):
            if loop.time() > deadline:
                raise StepError(
                    "demo-no-answer-in-time", {"what": what, "seconds": f"{STEP_TIMEOUT:g}"}
                )
            await asyncio.sleep(SETTLE_POLL)
        await self.settle(what)
        self.transcript.show_new(person)

    async def settle(self, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP_TIMEOUT
        while not await self._settled():
            if loop.time() > deadline:
                raise StepError(
                    "demo-no-answer-in-time", {"what": what, "seconds": f"{STEP_TIMEOUT:g}"}
                )
            await asyncio.sleep(SETTLE_POLL)

    async def _settled(self) -> bool:
        return await caught_up(self.sim, self.runtime.db, now=self.clock.now())
