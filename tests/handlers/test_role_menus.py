"""Menus per role: a feature for a role other than members shows and starts only for that role."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.clock import SystemClock
from bot.conversation.base import begin_flow
from bot.conversation.engine import END, Flow, UnregisteredFlowError
from bot.conversation.steps import YesNoStep
from bot.features import Feature
from bot.menus import MenuEntry
from bot.turn import Turn, require_joined
from domain.vocabulary import Role
from handlers import features
from models.conversations import Conversation
from models.database import Database
from models.users import roles_of
from telesim import Simulator
from tests.support.harness import BotHarness, start_harness

CHECK = Flow(
    name="truck-check",
    version=1,
    first="ready",
    steps={"ready": YesNoStep(name="ready", prompt="report-ask-operator", then=END)},
)
"""One question for an operator; its texts are borrowed from the catalogue."""
OPERATOR_LABEL = "operator penyedotan"


async def start_check(turn: Turn) -> None:
    """Ask the operator the one question."""
    user = await require_joined(turn)
    if user is not None and Role.OPERATOR in roles_of(user):
        await begin_flow(turn, CHECK)


def operator_feature(*, registered: bool = True) -> Feature:
    """The operator's test feature; with `registered=False` it forgets to declare its flow."""
    entry = MenuEntry(
        action="truck-check",
        command="truk",
        description="command-desludging",
        label="role-operator",
        start=start_check,
        roles=frozenset({Role.OPERATOR}),
    )
    flows = (CHECK,) if registered else ()
    return Feature(name="truck-check", handlers=list, flows=flows, menu=(entry,))


@pytest.fixture
async def with_operator_flow(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
) -> AsyncIterator[BotHarness]:
    """The real bot with the product's features and the operator's test feature after them."""
    composed = [*features(), operator_feature()]
    async with start_harness(simulator, database_url, clock, features=composed) as running:
        yield running


def labels(harness: BotHarness, chat_id: int) -> list[str]:
    keyboard = harness.sim.reply_keyboard(chat_id) or []
    return [label for row in keyboard for label in row]


async def test_operator_flow_starts_from_the_operators_menu(
    with_operator_flow: BotHarness,
) -> None:
    """An operator's menu shows the operator's entry before help and language; pressing it
    asks the flow's question and the answer is kept."""
    harness = with_operator_flow
    operator = await harness.join(Role.OPERATOR, name="Pak Truk")
    assert labels(harness, operator.id) == [
        "📋 Antrian sedot lumpur",
        OPERATOR_LABEL,
        "❓ Bantuan",
        "🌐 Bahasa",
    ]
    commands = [name for name, _ in harness.sim.commands(operator.id)]
    assert commands == ["jadwal", "pengingat", "truk", "bantuan", "bahasa", "batal"]
    await harness.say(operator, OPERATOR_LABEL)
    assert "operator yang aktif" in harness.last_text(operator)
    await harness.press(operator, "Ya")
    async with harness.db.transaction() as session:
        [conversation] = list(await session.scalars(select(Conversation)))
    assert (conversation.flow, conversation.status) == ("truck-check", "done")
    assert conversation.data["ready"] is True


async def test_member_does_not_see_the_operators_entry(with_operator_flow: BotHarness) -> None:
    """A KSM member's menu and command list are the member's, without the operator's entry."""
    harness = with_operator_flow
    await harness.seed_ipals()
    member = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    assert labels(harness, member.id) == [
        "📝 Laporan bulanan",
        "⚠️ Lapor masalah",
        "🚛 Minta sedot lumpur",
        "📊 Status IPAL",
        "❓ Bantuan",
        "🌐 Bahasa",
    ]
    commands = [name for name, _ in harness.sim.commands(member.id)]
    assert commands == [
        "lapor",
        "masalah",
        "sedot",
        "status",
        "pengingat",
        "bantuan",
        "bahasa",
        "batal",
    ]


async def test_starting_an_unregistered_flow_fails_clearly(
    simulator: Simulator,
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A feature that starts a flow it never declared fails with a sentence naming the flow
    (logged), and the user is told to try again instead of getting a half-made conversation."""
    composed = [*features(), operator_feature(registered=False)]
    async with start_harness(simulator, database_url, clock, features=composed) as harness:
        operator = await harness.join(Role.OPERATOR, name="Pak Truk")
        await harness.say(operator, OPERATOR_LABEL)
        assert "Maaf" in harness.last_text(operator)
        async with harness.db.transaction() as session:
            assert list(await session.scalars(select(Conversation))) == []
    [failure] = [record for record in caplog.records if record.exc_info]
    assert failure.exc_info is not None
    assert isinstance(failure.exc_info[1], UnregisteredFlowError)
    assert str(failure.exc_info[1]) == (
        "flow 'truck-check' was started but never registered: list it in its feature's flows"
    )
