"""A restart in the middle of a report: the conversation goes on where it was, answers kept."""

from __future__ import annotations

import dataclasses

import pytest

from bot.clock import SystemClock
from domain.vocabulary import Role
from handlers.report import flow as report
from models.database import Database
from models.reports import MonthlyReport
from telesim import Simulator
from tests.support.reports import quick_harness, rows, texts_of


async def test_report_continues_after_a_restart(
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    unpaced_simulator: Simulator,
) -> None:
    """Stopped at the paying-households question, the bot asks on from there after a restart."""
    async with quick_harness(database_url, clock, unpaced_simulator) as first:
        await first.seed_ipals()
        member = await first.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
        await first.say(member, "/lapor")
        await first.press(member, "⛔ Tidak berfungsi")
        await first.press(member, "Meluap / bocor")
        await first.press(member, "✔️ Selesai")
        await first.say(member, "55")
    async with quick_harness(database_url, clock, unpaced_simulator) as second:
        replies = await second.say(member, "50")
        assert "iuran yang terkumpul" in texts_of(replies)
        for text in ("500 ribu", "ya", "ya", "ya", "lewati", "lewati", "lewati"):
            await second.say(member, text)
        assert "Masalah: Meluap / bocor" in second.last_text(member)
        await second.press(member, "✅ Kirim")
        [stored] = await rows(second, MonthlyReport)
        assert (stored.condition, stored.problems, stored.active_connections) == (
            "broken",
            ["overflow"],
            55,
        )


async def test_a_changed_flow_asks_to_start_again(
    database: Database,
    database_url: tuple[str, str | None],
    clock: SystemClock,
    unpaced_simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After an upgrade that changed the report's steps, the member is told to start again."""
    async with quick_harness(database_url, clock, unpaced_simulator) as first:
        await first.seed_ipals()
        member = await first.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
        await first.say(member, "/lapor")
        await first.press(member, "✅ Berfungsi baik")
    upgraded = dataclasses.replace(report.REPORT, version=report.REPORT.version + 1)
    monkeypatch.setattr(report, "REPORT", upgraded)
    async with quick_harness(database_url, clock, unpaced_simulator) as second:
        replies = await second.press(member, "✔️ Tidak ada masalah")
        assert "Bot telah diperbarui" in texts_of(replies)
        assert await rows(second, MonthlyReport) == []
