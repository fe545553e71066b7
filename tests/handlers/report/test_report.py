"""Monthly reports, through the simulator against the real bot."""

from __future__ import annotations

from datetime import date, timedelta

from domain.vocabulary import Role
from models.desludging import DesludgingRequest
from models.problems import ProblemReport
from models.reports import MonthlyReport
from tests.support.harness import BotHarness
from tests.support.reports import (
    alerted,
    answer_typed,
    counts,
    gather_people,
    press_starting,
    press_together,
    rows,
    send_location,
    send_voice,
    texts_of,
)


async def test_monthly_report_by_buttons_from_the_menu(quick: BotHarness) -> None:
    """Every step by buttons, a location and a voice note; the summary shows the scores."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    replies = await quick.say(member, "📝 Laporan bulanan")
    assert "Laporan bulanan November 2026" in texts_of(replies)
    await quick.press(member, "✅ Berfungsi baik")
    assert "Masalah apa saja" in quick.last_text(member)
    await quick.press(member, "Bau")
    assert "✅ Bau" in quick.buttons(member)
    await quick.press(member, "✔️ Selesai")
    await quick.press(member, "Tetap 60")
    await quick.say(member, "50")
    await quick.say(member, "Rp 1.500.000,-")
    await quick.press(member, "Ya")
    await quick.press(member, "Ya")
    await quick.press(member, "Tidak")
    await quick.press(member, "⏭ Lewati")
    await send_location(quick, member, -7.857, 110.158)
    await send_voice(quick, member)
    summary = quick.last_text(member)
    for expected in (
        "Ringkasan laporan bulanan November 2026",
        "Masalah: Bau",
        "Sambungan rumah aktif: 60",
        "Iuran terkumpul: Rp1.500.000",
        "Pembukuan terkini: Tidak",
        "Catatan: 🎤 pesan suara",
        "🟡 Teknis",
        "🟢 Keuangan",
        "🟢 Kelembagaan",
        "🟡 Tata kelola",
        "belum ada laporan sebelumnya",
    ):
        assert expected in summary
    replies = await quick.press(member, "✅ Kirim")
    assert "Laporan bulanan #1 (November 2026) tersimpan" in texts_of(replies)
    [report] = await rows(quick, MonthlyReport)
    assert (report.period, report.condition, report.problems) == (
        date(2026, 11, 1),
        "good",
        ["odour"],
    )
    assert (report.active_connections, report.paying_households, report.fee_collected) == (
        60,
        50,
        1_500_000,
    )
    assert (report.operator_active, report.board_met, report.books_up_to_date) == (
        True,
        True,
        False,
    )
    assert report.scores == {
        "technical": "yellow",
        "financial": "green",
        "institutional": "green",
        "governance": "yellow",
    }
    assert (report.severity, report.status) == ("warning", "current")
    assert report.voice_file_id and (report.latitude, report.longitude) == (-7.857, 110.158)
    assert list(alerted(quick, people, before)) == ["kalurahan"]
    [problem] = await rows(quick, ProblemReport)
    assert (problem.kind, problem.state, problem.monthly_report_id) == ("odour", "open", report.id)
    await quick.say(member, "/status")
    assert "Bau" in quick.last_text(member)


async def test_whole_report_by_typing_only(quick: BotHarness) -> None:
    """Typed answers are taken at every step; an all-good report alerts nobody."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/lapor")
    await answer_typed(quick, member)
    assert "Ringkasan laporan bulanan" in quick.last_text(member)
    replies = await quick.say(member, "kirim")
    assert "Laporan bulanan #1 (November 2026) tersimpan" in texts_of(replies)
    [report] = await rows(quick, MonthlyReport)
    assert (report.condition, report.problems, report.active_connections) == ("good", [], 58)
    assert (report.paying_households, report.fee_collected, report.severity) == (45, 150_000, "ok")
    assert report.note is None and report.photo_file_id is None
    assert alerted(quick, people, before) == {}


async def test_change_answers_from_the_summary(quick: BotHarness) -> None:
    """*Ubah* goes back to a step with the answer kept and returns to the summary."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/lapor")
    await answer_typed(quick, member)
    await quick.press(member, "✏️ Ubah")
    assert "Bagian mana yang ingin diubah" in quick.last_text(member)
    await quick.press(member, "Iuran terkumpul")
    assert "Tetap Rp150.000" in quick.buttons(member)
    await quick.say(member, "1,5 juta")
    summary = quick.last_text(member)
    assert "Ringkasan laporan bulanan" in summary and "Iuran terkumpul: Rp1.500.000" in summary
    await quick.press(member, "✏️ Ubah")
    await quick.press(member, "Kondisi")
    assert "• ✅ Berfungsi baik" in quick.buttons(member)
    await quick.press(member, "⛔ Tidak berfungsi")
    assert "🔴 Teknis" in quick.last_text(member)
    await quick.press(member, "✅ Kirim")
    [report] = await rows(quick, MonthlyReport)
    assert (report.condition, report.fee_collected, report.severity) == (
        "broken",
        1_500_000,
        "critical",
    )
    assert report.active_connections == 58
    assert sorted(alerted(quick, people, before)) == ["admin", "kalurahan", "kapanewon"]


async def test_second_report_for_the_month_replaces_the_first_when_asked(quick: BotHarness) -> None:
    """A second report asks first; *Ya* stores it and keeps the first marked replaced."""
    await quick.seed_ipals()
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    budi = await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-01")
    await quick.say(sri, "/lapor")
    await answer_typed(quick, sri)
    await quick.say(sri, "kirim")
    replies = await quick.say(budi, "/lapor")
    assert "sudah ada: #1 dari Sri" in texts_of(replies)
    await quick.press(budi, "Tidak")
    assert "tetap dipakai" in quick.last_text(budi)
    await quick.say(budi, "/lapor")
    await quick.press(budi, "Ya")
    await answer_typed(quick, budi, condition="tidak berfungsi")
    replies = await quick.say(budi, "kirim")
    assert "Laporan #1 ditandai diganti" in texts_of(replies)
    first, second = await rows(quick, MonthlyReport)
    assert (first.status, first.replaced_by_id) == ("replaced", second.id)
    assert (second.status, second.condition) == ("current", "broken")


async def test_early_in_the_month_the_previous_month_is_offered(quick: BotHarness) -> None:
    """On 2 December a member of two IPALs picks the IPAL, then November or December."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, f"/start {await quick.invite(Role.MEMBER, ipal='KP-WTS-02')}")
    quick.clock.advance(timedelta(days=16))
    replies = await quick.say(member, "/lapor")
    assert "Untuk IPAL yang mana?" in texts_of(replies)
    await quick.press(member, "IPAL Sidomulyo")
    assert quick.buttons(member) == ["November 2026", "Desember 2026"]
    await quick.press(member, "November 2026")
    assert "Laporan bulanan November 2026 — IPAL Sidomulyo" in quick.last_text(member)
    await answer_typed(quick, member)
    await quick.say(member, "kirim")
    [report] = await rows(quick, MonthlyReport)
    assert report.period == date(2026, 11, 1)
    await quick.say(member, "/lapor")
    await quick.press(member, "IPAL Sidomulyo")
    assert "Laporan bulanan Desember 2026" in quick.last_text(member)


async def test_two_members_sending_at_once_make_one_report(quick: BotHarness) -> None:
    """Two *Kirim* at the same moment store one report; the other member is asked."""
    await quick.seed_ipals()
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    budi = await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-01")
    for member in (sri, budi):
        await quick.say(member, "/lapor")
        await answer_typed(quick, member)
    await press_together(quick, [sri, budi])
    [report] = await rows(quick, MonthlyReport)
    loser = budi if report.reporter_id == 1 else sri
    assert "baru saja dikirim oleh" in quick.last_text(loser)
    await quick.press(loser, "Ya")
    first, second = await rows(quick, MonthlyReport)
    assert (first.status, second.status) == ("replaced", "current")


async def test_sludge_full_offers_a_desludging_request(quick: BotHarness) -> None:
    """A report saying the sludge is full offers a request, which then needs only a date."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/lapor")
    for text in ("ada masalah", "lumpur penuh", "tetap", "40", "400rb", "ya", "ya", "ya"):
        await quick.say(member, text)
    for text in ("lewati", "lewati", "lewati", "kirim"):
        await quick.say(member, text)
    assert "Minta sedot lumpur untuk IPAL Ngestiharjo Asri sekarang?" in quick.last_text(member)
    await quick.press(member, "Ya")
    await press_starting(quick, member, "2 minggu lagi")
    await quick.press(member, "⏭ Lewati")
    assert "Alasan: 🪣 Lumpur penuh" in quick.last_text(member)
    await quick.press(member, "✅ Kirim")
    [request] = await rows(quick, DesludgingRequest)
    assert (request.reason, request.preferred_date) == ("sludge_full", date(2026, 11, 30))


async def test_monthly_report_in_english(quick: BotHarness) -> None:
    """An English-speaking member reports in English; the official is alerted in Indonesian."""
    people = await gather_people(quick, language="en")
    member, before = people.member, counts(quick, people)
    replies = await quick.say(member, "📝 Monthly report")
    assert "Monthly report November 2026 — IPAL Ngestiharjo Asri" in texts_of(replies)
    await quick.press(member, "⚠️ Works, with problems")
    await quick.press(member, "Blocked pipe / manhole")
    await quick.press(member, "✔️ Done")
    for text in ("same", "30", "1.5 juta", "yes", "no", "no"):
        await quick.say(member, text)
    await quick.press(member, "⏭ Skip")
    await quick.say(member, "⏭ Skip")
    await quick.say(member, "The pump is noisy")
    summary = quick.last_text(member)
    for expected in (
        "Monthly report summary, November 2026",
        "Problems: Blocked pipe / manhole",
        "Active house connections: 60",
        "Fee collected: IDR1,500,000",
        "🟡 Financial",
        "🔴 Governance",
        "no earlier report",
    ):
        assert expected in summary
    replies = await quick.press(member, "✅ Send")
    assert "Monthly report #1 (November 2026) saved. Thank you!" in texts_of(replies)
    assert "1 official was alerted." in texts_of(replies)
    news = alerted(quick, people, before)
    assert "PERINGATAN · Laporan bulanan #1" in texts_of(news["kalurahan"])
