"""IPAL status, through the simulator against the real bot."""

from __future__ import annotations

from datetime import date

from domain.vocabulary import Role
from models.areas import find_ipal
from models.attachments import Extras
from models.desludging import record_request
from models.problems import record_problem
from models.reports import ReportDraft, record_report
from tests.support.harness import BotHarness
from tests.support.reports import texts_of

SCORES = {
    "technical": "green",
    "financial": "yellow",
    "institutional": "green",
    "governance": "red",
}
EARLIER = {
    "technical": "yellow",
    "financial": "yellow",
    "institutional": "red",
    "governance": "red",
}


async def seed_history(harness: BotHarness, reporter_id: int) -> None:
    """September and October reports, an open problem and an open request for KP-WTS-01."""
    now = harness.clock.now()
    async with harness.db.transaction() as session:
        ipal = await find_ipal(session, code="KP-WTS-01")
        assert ipal is not None
        for period, scores in ((date(2026, 9, 1), EARLIER), (date(2026, 10, 1), SCORES)):
            draft = ReportDraft(
                ipal_id=ipal.id,
                period=period,
                reporter_id=reporter_id,
                condition="good",
                problems=[],
                active_connections=58,
                paying_households=40,
                fee_collected=400_000,
                operator_active=True,
                board_met=False,
                books_up_to_date=False,
                severity="ok",
                scores=scores,
            )
            await record_report(session, draft=draft, replaces_id=None, now=now)
        await record_problem(
            session,
            ipal_id=ipal.id,
            reporter_id=reporter_id,
            kind="blocked",
            urgency="high",
            severity="warning",
            extras=Extras(note="mampet"),
            now=now,
        )
        await record_request(
            session,
            ipal_id=ipal.id,
            requester_id=reporter_id,
            reason="lltt_due",
            preferred_date=date(2026, 12, 1),
            note=None,
            severity="ok",
            now=now,
        )


async def test_status_of_a_new_ipal(quick: BotHarness) -> None:
    """Without reports: nothing in yet, the last desludging and the overdue LLTT date."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    status = texts_of(await quick.say(member, "📊 Status IPAL"))
    for expected in (
        "IPAL Ngestiharjo Asri (KP-WTS-01), Kalurahan Triharjo, Kapanewon Wates",
        "❌ Laporan November 2026 belum masuk.",
        "Belum ada laporan bulanan.",
        "Tidak ada masalah terbuka.",
        "Tidak ada permintaan sedot lumpur yang terbuka.",
        "Terakhir disedot: 1 November 2024",
        "LLTT berikutnya: 1 November 2026 — ⚠️ terlambat 15 hari",
    ):
        assert expected in status


async def test_status_shows_reports_scores_problems_and_request(quick: BotHarness) -> None:
    """The latest report with its change since the one before, open problem and request."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await seed_history(quick, reporter_id=1)
    status = texts_of(await quick.say(member, "/status"))
    for expected in (
        "❌ Laporan November 2026 belum masuk.",
        "Terakhir: Oktober 2026 (#2, Sri,",
        "(dibanding September 2026)",
        "🟢 Teknis ↑ membaik",
        "🟡 Keuangan = tetap",
        "🟢 Kelembagaan ↑ membaik",
        "🔴 Tata kelola = tetap",
        "• #1 Pipa / bak kontrol mampet — terbuka, dilaporkan Sri",
        "Permintaan #1: 📅 Jadwal LLTT sudah tiba — diminta, tanggal yang diinginkan 1 Desember",
    ):
        assert expected in status


async def test_status_for_each_ipal_and_only_for_members(quick: BotHarness) -> None:
    """A member of two IPALs gets both; the LLTT of a never-desludged IPAL counts from its
    year of building; an official is told this is for members."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", language="en", ipal="KP-WTS-01")
    await quick.say(member, f"/start {await quick.invite(Role.MEMBER, ipal='KP-WTS-02')}")
    first, second = await quick.say(member, "/status")
    assert "IPAL Ngestiharjo Asri" in (first.content or "")
    assert "Never desludged." in (second.content or "")
    assert "Next LLTT: 1 January 2023 — ⚠️ overdue by 1415 days" in (second.content or "")
    official = await quick.join(Role.KALURAHAN_OFFICIAL, kapanewon="Wates", kalurahan="Triharjo")
    replies = await quick.say(official, "/status")
    assert texts_of(replies) == "Fitur ini untuk anggota KSM yang terdaftar di sebuah IPAL."
