"""Desludging requests, through the simulator against the real bot."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.clock import WIB
from domain.vocabulary import Role
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from tests.support.harness import BotHarness
from tests.support.reports import (
    alerted,
    counts,
    gather_people,
    press_starting,
    press_together,
    rows,
    texts_of,
)


async def test_request_from_menu_goes_to_operators_and_kalurahan(quick: BotHarness) -> None:
    """A sludge-full request is stored; operators may act on it, the kalurahan is informed."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    replies = await quick.say(member, "🚛 Minta sedot lumpur")
    assert "Apa alasannya?" in texts_of(replies)
    await quick.press(member, "🪣 Lumpur penuh")
    await press_starting(quick, member, "Besok")
    await quick.say(member, "Jalan masuk sempit, truk kecil saja")
    summary = quick.last_text(member)
    assert "Tanggal yang diinginkan: 17 November 2026" in summary
    replies = await quick.press(member, "✅ Kirim")
    assert "Permintaan sedot lumpur #1 tersimpan" in texts_of(replies)
    [request] = await rows(quick, DesludgingRequest)
    assert (request.reason, request.preferred_date, request.severity, request.state) == (
        "sludge_full",
        date(2026, 11, 17),
        "warning",
        "requested",
    )
    assert request.note == "Jalan masuk sempit, truk kecil saja"
    news = alerted(quick, people, before)
    assert sorted(news) == ["kalurahan", "operator"]
    assert news["operator"][0].inline_buttons()
    assert "UNTUK INFORMASI" in texts_of(news["kalurahan"])
    assert not news["kalurahan"][0].inline_buttons()


async def test_open_request_is_shown_instead_of_a_second(quick: BotHarness) -> None:
    """With a request open, /sedot shows it and starts nothing."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/sedot")
    await quick.press(member, "📅 Jadwal LLTT sudah tiba")
    await quick.say(member, "30-11-2026")
    await quick.press(member, "⏭ Lewati")
    await quick.press(member, "✅ Kirim")
    replies = await quick.say(member, "/sedot")
    assert "sudah punya permintaan sedot lumpur #1 (diminta)" in texts_of(replies)
    assert "30 November 2026" in texts_of(replies)
    assert not replies[-1].inline_buttons()
    assert len(await rows(quick, DesludgingRequest)) == 1


async def test_emergency_request_also_alerts_the_critical_audience(quick: BotHarness) -> None:
    """An emergency request reaches operators, the kalurahan, the kapanewon and the admins."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/sedot")
    await quick.say(member, "darurat")
    await quick.say(member, "hari ini")
    await quick.say(member, "lewati")
    await quick.say(member, "kirim")
    [request] = await rows(quick, DesludgingRequest)
    assert (request.reason, request.severity, request.preferred_date) == (
        "emergency",
        "critical",
        date(2026, 11, 16),
    )
    news = alerted(quick, people, before)
    assert sorted(news) == ["admin", "kalurahan", "kapanewon", "operator"]
    assert news["operator"][0].inline_buttons()  # Jadwalkan / Tolak
    informed = [messages[0] for role, messages in news.items() if role != "operator"]
    assert not any(message.inline_buttons() for message in informed)


async def test_dates_in_the_past_or_too_far_are_refused(quick: BotHarness) -> None:
    """A past date, a date beyond 90 days and nonsense each get their hint and the question."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/sedot")
    await quick.press(member, "🪣 Lumpur penuh")
    replies = await quick.say(member, "01-01-2020")
    assert "sudah lewat" in texts_of(replies) and "Kapan tanggal" in texts_of(replies)
    replies = await quick.say(member, "01-06-2027")
    assert "paling lambat 90 hari" in texts_of(replies)
    replies = await quick.say(member, "kapan-kapan")
    assert "Ketik tanggal seperti" in texts_of(replies)
    await quick.say(member, "14-02-2027")
    assert "Ada catatan untuk operator" in quick.last_text(member)


async def test_routine_request_at_night_waits_for_morning(quick: BotHarness) -> None:
    """An LLTT request made at 22:00 is queued for 06:00; the member is answered at once."""
    people = await gather_people(quick)
    quick.clock.advance(timedelta(hours=13))
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/sedot")
    await quick.press(member, "📅 Jadwal LLTT sudah tiba")
    await press_starting(quick, member, "Minggu depan")
    await quick.press(member, "⏭ Lewati")
    replies = await quick.press(member, "✅ Kirim")
    assert "tersimpan" in texts_of(replies)
    assert alerted(quick, people, before) == {}
    async with quick.db.transaction() as session:
        waiting = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("alert:%")))
        )
    assert len(waiting) == 2
    assert {row.not_before for row in waiting} == {datetime(2026, 11, 17, 6, 0, tzinfo=WIB)}


async def test_two_members_requesting_at_once_make_one_request(quick: BotHarness) -> None:
    """Two *Kirim* at the same moment store one request; the other member is shown it."""
    await quick.seed_ipals()
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    budi = await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-01")
    for member in (sri, budi):
        await quick.say(member, "/sedot")
        for text in ("lumpur penuh", "besok", "lewati"):
            await quick.say(member, text)
    await press_together(quick, [sri, budi])
    [request] = await rows(quick, DesludgingRequest)
    loser = budi if request.requester_id == 1 else sri
    assert f"sudah punya permintaan sedot lumpur #{request.id}" in quick.last_text(loser)
