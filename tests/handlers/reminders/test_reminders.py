"""Reminders through the simulator against the real bot: `sanimas sweep` beside it queues
them, the bot delivers them, their buttons start the right conversation; `/pengingat`."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import select

from bot.cli.console import Console
from bot.cli.sweep import sweep
from bot.texts import Texts
from domain.vocabulary import Role
from models.conversations import ACTIVE, Conversation
from models.desludging import DesludgingRequest
from models.reminders import ReminderOptOut
from tests.handlers.people.test_cli import cli_settings
from tests.support.harness import BotHarness
from tests.support.people import forge
from tests.support.reports import press_starting, rows

ENGLISH = Console(Texts("en"))


def at(instant: str) -> argparse.Namespace:
    return argparse.Namespace(at=instant, dry_run=False)


async def test_an_lltt_reminder_arrives_and_opens_the_request(
    quick: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """KP-WTS-02 was never desludged (overdue): the sweep's reminder says so, and *Minta
    sedot lumpur* asks for the date at once, the reason LLTT already chosen."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-02")
    assert await sweep(cli_settings(quick), at("2026-11-16T09:00:00+07:00"), ENGLISH) == 0
    assert "· lltt · KP-WTS-02" in capsys.readouterr().out
    await quick.settle()
    await quick.sim.wait_for(lambda: "terlambat" in quick.last_text(member), timeout=10)
    assert "IPAL Sidomulyo sudah terlambat" in quick.last_text(member)
    replies = await quick.press(member, "🚛 Minta sedot lumpur")
    assert any("Kapan tanggal yang diinginkan?" in (m.content or "") for m in replies)
    await press_starting(quick, member, "Besok")
    await quick.say(member, "-")
    await quick.press(member, "✅ Kirim")
    [request] = await rows(quick, DesludgingRequest)
    assert (request.reason, request.state) == ("lltt_due", "requested")


async def test_a_monthly_reminder_starts_the_report(
    quick: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """On day 25 the member of an IPAL without a report is reminded; the button starts it."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    assert await sweep(cli_settings(quick), at("2026-11-25T09:00:00+07:00"), ENGLISH) == 0
    assert "· monthly · KP-WTS-01" in capsys.readouterr().out
    await quick.settle()  # both delivered: the same sweep queues this IPAL's LLTT reminder too
    [reminder] = [
        message
        for message in quick.sim.messages(member.id)
        if "Laporan bulan November 2026" in (message.content or "")
    ]
    assert "📋 Isi laporan" in str(reminder.inline_buttons())
    await quick.press(member, "📋 Isi laporan")
    async with quick.db.transaction() as session:
        [conversation] = list(
            await session.scalars(select(Conversation).where(Conversation.status == ACTIVE))
        )
    assert conversation.flow == "report"


async def test_a_reminder_button_of_another_ipal_is_refused(quick: BotHarness) -> None:
    """A forged *Minta sedot lumpur* for an IPAL the member does not belong to starts nothing."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    answer = await forge(quick, member, "1|m|lltt|999")
    assert answer["text"] == "Tombol ini sudah tidak berlaku."
    assert await rows(quick, Conversation) == []


async def test_a_digest_button_without_its_command_answers_plainly(quick: BotHarness) -> None:
    """A digest button naming a command the bot does not have (an older bot's button, or a
    forged one): a plain answer, nothing started."""
    await quick.seed_ipals()
    official = await quick.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
    )
    answer = await forge(quick, official, "1|m|cmd|tidakada")
    assert answer["text"] == "Daftar ini belum tersedia di bot."


async def test_pengingat_turns_a_kind_off_and_on(quick: BotHarness) -> None:
    """The switch shows the new state and the opt-out is stored; pressing again undoes it."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    replies = await quick.say(member, "/pengingat")
    assert "Pilih pengingat" in (replies[-1].content or "")
    await quick.press(member, "✅ Sedot lumpur terjadwal (LLTT)")
    assert "🔕 Sedot lumpur terjadwal (LLTT)" in quick.buttons(member)
    [opt_out] = await rows(quick, ReminderOptOut)
    assert opt_out.kind == "lltt"
    await quick.press(member, "🔕 Sedot lumpur terjadwal (LLTT)")
    assert "✅ Sedot lumpur terjadwal (LLTT)" in quick.buttons(member)
    assert await rows(quick, ReminderOptOut) == []
