"""Joining by invitation, through the simulator against the real bot."""

from __future__ import annotations

from datetime import timedelta

from domain.vocabulary import Role
from tests.support.harness import BotHarness


async def test_member_joins_by_deep_link_and_gets_menu(harness: BotHarness) -> None:
    """A deep link with a valid code joins, greets in Indonesian and sets menu and commands."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, name="Sri <Rahayu>", ipal="KP-WTS-01")
    assert "Selamat datang, Sri <Rahayu>!" in harness.last_text(user)
    assert "anggota KSM IPAL Ngestiharjo Asri" in harness.last_text(user)
    keyboard = harness.sim.reply_keyboard(user.id)
    assert keyboard is not None
    assert "📝 Laporan bulanan" in [label for row in keyboard for label in row]
    commands = [name for name, _ in harness.sim.commands(user.id)]
    assert commands[:4] == ["lapor", "masalah", "sedot", "status"]
    assert "batal" in commands


async def test_wrong_codes_lock_out(harness: BotHarness) -> None:
    """Five wrong codes lock the user out and say until when; a good code then waits too."""
    await harness.seed_ipals()
    user = harness.sim.add_user(first_name="Budi", language_code="id")
    for _ in range(5):
        await harness.say(user, "/start WRQNGCQDE2")
    assert "Terlalu banyak kode yang salah" in harness.last_text(user)
    code = await harness.invite(Role.MEMBER, ipal="KP-WTS-01")
    replies = await harness.say(user, code)
    assert "Terlalu banyak kode yang salah" in (replies[-1].content or "")
    harness.clock.advance(timedelta(minutes=16))
    replies = await harness.say(user, code)
    assert "Selamat datang" in (replies[-1].content or "")


async def test_expired_and_used_up_codes(harness: BotHarness) -> None:
    """An expired code and a used-up code each get their own answer in English."""
    await harness.seed_ipals()
    expired = await harness.invite(Role.MEMBER, ipal="KP-WTS-01", expires_in=timedelta(days=1))
    harness.clock.advance(timedelta(days=2))
    first = harness.sim.add_user(first_name="Ann", language_code="en")
    await harness.say(first, f"/start {expired}")
    assert harness.last_text(first) == "This invitation code has expired. Ask for a new one."
    single = await harness.invite(Role.MEMBER, ipal="KP-WTS-01", uses=1)
    await harness.say(
        harness.sim.add_user(first_name="Ben", language_code="en"), f"/start {single}"
    )
    late = harness.sim.add_user(first_name="Cat", language_code="en")
    await harness.say(late, f"/start {single}")
    assert harness.last_text(late) == "This invitation code has been used up. Ask for a new one."
