"""`sanimas demo`: the scripted walk against the real bot, read back from the simulator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.demo import main as demo
from bot.demo.script import (
    admin_joins,
    desludging_done,
    lltt_reminder,
    member_and_official_join,
    monthly_report,
    official_follows_up,
    training_notice,
)
from bot.texts import Texts
from telesim import Simulator

ENGLISH = Texts("en")


async def test_fast_demo_shows_welcome_and_status_answer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It ignores SANIMAS_* settings, exits 0, and prints the welcome and the /status answer."""
    later = (monthly_report, official_follows_up)
    before_report = tuple(step for step in demo.WALK if step.act not in later)
    monkeypatch.setattr(demo, "WALK", before_report)  # the report has its own tests below
    monkeypatch.setenv("SANIMAS_TELEGRAM__BASE_URL", "http://127.0.0.1:9/bot")
    monkeypatch.setenv("SANIMAS_DATABASE__URL", "postgresql+asyncpg://nobody@127.0.0.1:9/none")
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert "👤 Sri (anggota KSM):  /start " in out
    assert (
        "🤖 Bot:  Selamat datang, Sri! Anda terdaftar sebagai anggota KSM IPAL Tirta Lestari."
        in out
    )
    after_status = out.split("👤 Sri (anggota KSM):  /status\n", 1)[1]
    assert after_status.startswith("🤖 Bot:  ")
    assert "[ 📝 Laporan bulanan ] [ ⚠️ Lapor masalah ]" in out
    assert "👆 Sri presses [English]" in out
    assert "Language changed to English." in out
    assert "Anda terdaftar sebagai petugas kalurahan Triharjo." in out
    folder = re.search(r"The database was (\S+);", out)
    assert folder is not None
    assert not Path(folder.group(1)).parent.exists()


async def test_demo_member_reports_and_official_is_alerted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pressing what the bot shows, the member sends a report with a problem; Wahyu is alerted."""
    wanted = (member_and_official_join, monthly_report)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert "👆 Sri presses [⚠️ Berfungsi, ada masalah]" in out
    assert "👆 Sri presses [✅ Kirim]" in out
    alert = out.split("🤖 Bot → Wahyu (petugas kalurahan):  ", 1)[1]
    assert "IPAL Tirta Lestari" in alert.split("\n🤖", 1)[0]


async def test_demo_operator_schedules_and_completes_desludging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator schedules Sri's request from /jadwal and records it done; Sri rates it and
    her /status shows the LLTT cycle restarted."""
    wanted = (member_and_official_join, desludging_done)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert "👆 Joko presses [📅 Jadwalkan #1]" in out
    assert "👆 Joko presses [✅ Selesai #1]" in out
    assert "👆 Sri presses [5⭐]" in out
    assert "🙏 Terima kasih atas penilaian Anda (5⭐)." in out
    after_status = out.split("👤 Sri (anggota KSM):  /status\n", 1)[1]
    assert "Tidak ada permintaan sedot lumpur yang terbuka." in after_status


async def test_demo_lltt_reminder_opens_the_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the IPAL's LLTT due date Sri is reminded; the button asks for the date at once."""
    wanted = (member_and_official_join, lltt_reminder)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert "🛠  sanimas sweep --at " in out
    assert "IPAL Tirta Lestari jatuh tempo sedot lumpur hari ini" in out
    after = out.split("👆 Sri presses [🚛 Minta sedot lumpur]", 1)[1]
    assert after.startswith("\n🤖 Bot:  Kapan tanggal yang diinginkan?")


class SilentSimulator(Simulator):
    """A Bot API whose every sendMessage is refused with a long RetryAfter."""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        await super().start(host, port)
        self.fail_next(
            "sendMessage",
            status=429,
            description="Too Many Requests: retry after 60",
            count=1000,
            retry_after=60,
        )


async def test_demo_fails_clearly_when_the_bot_does_not_answer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step the bot leaves unanswered stops the demo with a line saying so, and exit code 1."""
    monkeypatch.setattr(demo, "Simulator", SilentSimulator)
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 1
    out = capsys.readouterr().out
    assert "✖ Stopped: the bot did not answer '/start " in out
    assert "from Ratna" in out


async def test_demo_narrates_in_indonesian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the Indonesian catalogue the narration is Indonesian, step titles included."""
    wanted = (member_and_official_join,)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=Texts("id")) == 0
    out = capsys.readouterr().out
    assert "── 1. Anggota KSM dan petugas kalurahan bergabung lewat undangan ──" in out
    assert "✔ 1 langkah dimainkan, semuanya dijawab." in out


async def test_demo_admin_sends_a_training_notice_and_gets_the_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The admin's notice with RSVP reaches the member and the AKSANSI partner; the partner
    says *Hadir*; the admin's delivery report counts both."""
    wanted = (admin_joins, member_and_official_join, training_notice)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert '--role partner --organisation "AKSANSI Kulon Progo"' in out
    assert "👆 Ratna presses [✅ Kirim]" in out
    assert "👆 Budi presses [✅ Hadir]" in out
    assert "Terima kasih, Anda tercatat hadir." in out
    report = out.split("Laporan siaran #1", 1)[1]
    assert "Terkirim: 2" in report


async def test_demo_official_follows_up_and_member_is_told(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the report, Wahyu acknowledges and resolves the problem; Sri is told each time."""
    wanted = (member_and_official_join, monthly_report, official_follows_up)
    monkeypatch.setattr(demo, "WALK", tuple(step for step in demo.WALK if step.act in wanted))
    assert await demo.run_demo(fast=True, texts=ENGLISH) == 0
    out = capsys.readouterr().out
    assert "👆 Wahyu presses [✅ Tindak lanjuti" in out
    assert "👆 Wahyu presses [☑️ Selesai" in out
    assert "sedang ditindaklanjuti oleh Wahyu" in out
    assert "ditandai selesai oleh Wahyu" in out
    assert "Pipa inlet sudah dibersihkan" in out
