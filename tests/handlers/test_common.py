"""What works everywhere: menus per role, /bahasa, /batal, groups, strangers, idle conversations."""

from __future__ import annotations

from datetime import timedelta

from domain.vocabulary import Role
from scheduler.registry import SWEEPS, run_sweeps
from tests.support.harness import BotHarness


def labels(harness: BotHarness, chat_id: int) -> list[str]:
    keyboard = harness.sim.reply_keyboard(chat_id) or []
    return [label for row in keyboard for label in row]


async def test_official_menu_has_no_member_actions(harness: BotHarness) -> None:
    """A kalurahan official sees the incoming reports, their summary and export, their
    reminders' switches (a command only), help and language, and none of the members'
    actions, in menu and command list."""
    await harness.seed_ipals()
    official = await harness.join(
        Role.KALURAHAN_OFFICIAL, name="Pak Lurah", kapanewon="Wates", kalurahan="Triharjo"
    )
    assert any("petugas kalurahan Triharjo" in text for text in harness.texts(official))
    assert labels(harness, official.id) == [
        "📥 Laporan masuk",
        "📈 Rekap",
        "📤 Ekspor",
        "❓ Bantuan",
        "🌐 Bahasa",
    ]
    assert [name for name, _ in harness.sim.commands(official.id)] == [
        "tindaklanjut",
        "rekap",
        "ekspor",
        "pengingat",
        "bantuan",
        "bahasa",
        "batal",
    ]


async def test_second_invitation_adds_a_role(harness: BotHarness) -> None:
    """An official who is also a KSM member gets the union of both menus."""
    await harness.seed_ipals()
    user = await harness.join(Role.KALURAHAN_OFFICIAL, kapanewon="Wates", kalurahan="Triharjo")
    code = await harness.invite(Role.MEMBER, ipal="KP-WTS-01")
    await harness.say(user, f"/start {code}")
    assert "📝 Laporan bulanan" in labels(harness, user.id)
    assert "lapor" in [name for name, _ in harness.sim.commands(user.id)]


async def test_language_switch_changes_menu_and_commands(harness: BotHarness) -> None:
    """/bahasa offers both languages; English then names menu and commands in English."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    await harness.say(user, "/bahasa")
    assert harness.buttons(user) == ["Bahasa Indonesia", "English"]
    await harness.press(user, "English")
    assert harness.last_text(user) == "Language changed to English."
    assert "📝 Monthly report" in labels(harness, user.id)
    assert dict(harness.sim.commands(user.id))["lapor"] == "Monthly IPAL report"
    await harness.say(user, "/bahasa id")
    assert harness.last_text(user) == "Bahasa diganti ke Bahasa Indonesia."


async def test_stranger_and_group_get_clear_answers(harness: BotHarness) -> None:
    """A stranger's photo asks for a code; a command in a group says private chats only."""
    stranger = harness.sim.add_user(first_name="Tamu")
    await harness.sim.send_photo(stranger.id)
    await harness.settle()
    assert "Anda belum terdaftar" in harness.last_text(stranger)
    group = harness.sim.add_group("KSM Ngestiharjo")
    await harness.sim.send_text(stranger.id, "/status", chat_id=group.id)
    await harness.settle()
    [answer] = harness.sim.messages(group.id)
    assert "hanya bekerja di obrolan pribadi" in (answer.content or "")


async def test_cancel_outside_conversation(harness: BotHarness) -> None:
    """/batal with nothing running says so and shows the menu."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    await harness.say(user, "/batal")
    assert harness.last_text(user) == "Tidak ada yang sedang berjalan."


async def test_idle_conversation_ends_with_note(harness: BotHarness) -> None:
    """A conversation left for longer than the idle time ends with a note, once."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    await harness.say(user, "/bahasa")
    await harness.say(user, "/masalah")
    harness.clock.advance(timedelta(minutes=31))
    at = harness.clock.now()
    idle = [sweep for sweep in SWEEPS if sweep.name == "conversations:idle"]  # not reminders
    assert await run_sweeps(harness.runtime, at=at, sweeps=idle) == {"conversations:idle": 1}
    assert await run_sweeps(harness.runtime, at=at, sweeps=idle) == {"conversations:idle": 0}
    await harness.settle()
    assert "lama tidak ada jawaban" in harness.last_text(user)
