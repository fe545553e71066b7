"""`/rekap` through the simulator against the real bot: the text, the chart, switching areas."""

from __future__ import annotations

import struct
from datetime import date

from sqlalchemy import func, select

from domain.vocabulary import Role
from models.areas import Ipal
from models.desludging import DesludgingRating, DesludgingRequest
from models.reports import MonthlyReport
from telesim import SimMessage
from tests.handlers.rekap.conftest import seed_history
from tests.support.harness import BotHarness

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert content[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def split(messages: list[SimMessage]) -> tuple[str, SimMessage]:
    """The summary's text and its chart photo, in that order."""
    assert [m.kind for m in messages] == ["text", "photo"], [m.kind for m in messages]
    return messages[0].content or "", messages[1]


async def reports_in(harness: BotHarness, period: date) -> int:
    async with harness.db.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(MonthlyReport).where(MonthlyReport.period == period)
        )
    return int(count or 0)


async def desludged_since(harness: BotHarness, since: date, codes: list[str]) -> int:
    """IPALs of `codes` with a desludging request done (by its lifecycle) since `since`."""
    async with harness.db.transaction() as session:
        count = await session.scalar(
            select(func.count(func.distinct(DesludgingRequest.ipal_id)))
            .join(Ipal, Ipal.id == DesludgingRequest.ipal_id)
            .where(
                Ipal.code.in_(codes),
                DesludgingRequest.state == "done",
                DesludgingRequest.done_on >= since,
            )
        )
    return int(count or 0)


async def ratings_since(harness: BotHarness, since: date) -> list[tuple[str, int, float]]:
    """(team, ratings, average stars) of the desludgings done since `since`."""
    async with harness.db.transaction() as session:
        rows = await session.execute(
            select(DesludgingRequest.team, DesludgingRating.stars)
            .join(DesludgingRating, DesludgingRating.request_id == DesludgingRequest.id)
            .where(DesludgingRequest.done_on >= since)
        )
        stars: dict[str, list[int]] = {}
        for team, star in rows:
            stars.setdefault(team or "", []).append(star)
    return sorted((team, len(given), sum(given) / len(given)) for team, given in stars.items())


async def test_a_kalurahan_official_gets_the_text_and_a_readable_chart(quick: BotHarness) -> None:
    """The kalurahan's figures as the database has them, then a PNG at least 1080 px wide
    sent as a photo with the "uploading photo" action while it was drawn."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    assert member
    official = await quick.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
    )
    await seed_history(quick, reporter_id=1)
    text, photo = split(await quick.say(official, "/rekap"))
    for expected in (
        "Rekap Kalurahan Triharjo",
        "Juni 2026 – November 2026, 1 IPAL",
        "⚠️ Ada masalah: 1",
        "⛔ Tidak berfungsi: 0",
        "❔ Belum lapor: 0",
        "• Juni 2026: 0 dari 1 (0%)",
        "• September 2026: 1 dari 1 (100%)",
        "• November 2026: 1 dari 1 (100%)",
        "≤ 7 hari: 1 · 8–30 hari: 1 · > 30 hari: 0",
        "Selesai dalam 6 bulan: 1 IPAL · LLTT terlambat: 0 IPAL",
        "Teknis: 🟢 0 · 🟡 0 · 🔴 1",
        "Keuangan: 🟢 0 · 🟡 1 · 🔴 0",
        "Penilaian operator sedot lumpur\n• UPT Wates: ⭐ 4.0 (1 penilaian)",
    ):
        assert expected in text, f"{expected!r} not in {text}"
    assert "Mitra Sedot" not in text  # Bendungan's operator
    assert await desludged_since(quick, date(2026, 6, 1), ["KP-WTS-01"]) == 1
    assert await reports_in(quick, date(2026, 11, 1)) == 2  # the other kalurahan's is not counted
    width, height = png_size(quick.sim.file_content(photo))
    assert width >= 1080 and height > width
    assert photo.caption == "📈 Rekap Kalurahan Triharjo — November 2026"
    actions = [c for c in quick.sim.calls if c.method == "sendChatAction"]
    assert actions and actions[0].params["action"] == "upload_photo"


async def test_an_admin_sees_the_district_and_switches_to_a_kapanewon(quick: BotHarness) -> None:
    """The district counts every IPAL; a kapanewon button shows only that kapanewon's."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin", language="en")
    await seed_history(quick, reporter_id=1)
    text, _ = split(await quick.say(admin, "/rekap"))
    assert "Summary of the whole district" in text
    assert "June 2026 – November 2026, 3 IPALs" in text
    assert "⚠️ With problems: 1\n⛔ Not working: 1\n❔ No report yet: 1" in text
    assert "• November 2026: 2 of 3 (67%)" in text
    assert "≤ 7 days: 1 · 8–30 days: 1 · > 30 days: 1" in text
    codes = ["KP-WTS-01", "KP-WTS-02", "KP-PGR-01"]
    done = await desludged_since(quick, date(2026, 6, 1), codes)
    assert done == 1  # Pengasih's registry date is not a desludging done; Bendungan's was in May
    assert f"Done in 6 months: {done} IPALs · LLTT overdue: 0 IPALs" in text
    assert await ratings_since(quick, date(2026, 6, 1)) == [("UPT Wates", 1, 4.0)]
    assert "• UPT Wates: ⭐ 4.0 (1 ratings)" in text and "Mitra Sedot" not in text
    assert sorted(quick.buttons(admin)) == ["Pengasih", "Wates"]
    text, _ = split(await quick.press(admin, "Pengasih"))
    assert "Summary of Kapanewon Pengasih" in text
    assert "❔ No report yet: 1" in text and "• November 2026: 0 of 1 (0%)" in text
    assert "Done in 6 months: 0 IPALs" in text and "No ratings yet." in text
    assert quick.buttons(admin) == ["« the whole district"]


async def test_a_kalurahan_official_switches_to_one_ipal_and_no_further(quick: BotHarness) -> None:
    """The kalurahan's IPALs are offered; a forged button for another kalurahan's IPAL or for
    the district shows nothing."""
    await quick.seed_ipals()
    official = await quick.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Bendungan"
    )
    await seed_history(quick, reporter_id=1)
    await quick.say(official, "/rekap")
    assert quick.buttons(official) == ["IPAL Sidomulyo (KP-WTS-02)"]
    text, _ = split(await quick.press(official, "IPAL Sidomulyo (KP-WTS-02)"))
    assert "Rekap IPAL Sidomulyo (KP-WTS-02)" in text
    assert "⛔ Tidak berfungsi: 1" in text and "> 30 hari: 1" in text
    newest = quick.sim.messages(official.id)[-2]
    before = len(quick.sim.messages(official.id))
    for forged in ("1|s|i|1", "1|s|d|0", "1|s|k|1", "1|s|z|1"):
        await quick.sim.press_forged_button(official.id, newest.message_id, forged)
        await quick.settle()
    news = [m.content or "" for m in quick.sim.messages(official.id)[before:]]
    assert news == ["Wilayah ini bukan wilayah Anda. Tidak ada yang ditampilkan."] * 3


async def test_members_and_strangers_get_no_summary(quick: BotHarness) -> None:
    """A member is told the summary is for officials; the menu shows it only to officials."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    replies = await quick.say(member, "/rekap")
    assert [m.content for m in replies] == [
        "Rekap dan ekspor hanya untuk pejabat kalurahan/kapanewon dan admin."
    ]
    labels = [label for row in quick.sim.reply_keyboard(member.id) or [] for label in row]
    assert "📈 Rekap" not in labels
    official = await quick.join(Role.KAPANEWON_OFFICIAL, name="Panewu", kapanewon="Wates")
    labels = [label for row in quick.sim.reply_keyboard(official.id) or [] for label in row]
    assert {"📈 Rekap", "📤 Ekspor"} <= set(labels)
    text, _ = split(await quick.say(official, "📈 Rekap"))
    assert "Rekap Kapanewon Wates" in text and ", 2 IPAL" in text
