"""The desludging lifecycle through the simulator against the real bot: the operator schedules,
reschedules, rejects and records done; the member cancels and rates; the KSM and the informed
officials are told each step; refused moves change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from bot.texts import Texts
from models.areas import Ipal
from models.desludging import DesludgingRating, DesludgingRequest
from tests.support.harness import BotHarness
from tests.support.people import audit, forge
from tests.support.reports import People, gather_people, press_starting, rows, texts_of

TODAY = date(2026, 11, 16)
TEXTS = Texts("id")


async def requested(quick: BotHarness) -> People:
    """The people around KP-WTS-01, whose member has asked for desludging (request #1)."""
    people = await gather_people(quick)
    await quick.say(people.member, "/sedot")
    for text in ("lumpur penuh", "besok", "lewati", "kirim"):
        await quick.say(people.member, text)
    return people


async def request_row(quick: BotHarness) -> DesludgingRequest:
    [request] = await rows(quick, DesludgingRequest)
    return request


def rating_message(quick: BotHarness, people: People) -> str:
    """The member's message that asked for the rating, as edited since."""
    return next(text for text in reversed(quick.texts(people.member)) if "⭐" in text)


async def schedule(quick: BotHarness, people: People, *, team: str = "lewati") -> None:
    """The operator presses *Jadwalkan* on the alert, next week, and names the team."""
    await quick.press(people.operator, "📅 Jadwalkan")
    await press_starting(quick, people.operator, "Minggu depan")
    await quick.say(people.operator, team)


async def test_operator_gets_schedule_and_reject_buttons_officials_only_news(
    quick: BotHarness,
) -> None:
    """A new request reaches the operator with *Jadwalkan* and *Tolak*; the kalurahan's copy
    has no buttons."""
    people = await requested(quick)
    assert quick.buttons(people.operator) == ["📅 Jadwalkan", "✖ Tolak"]
    assert not quick.sim.messages(people.kalurahan.id)[-1].inline_buttons()


async def test_scheduling_tells_the_members_and_the_informed(quick: BotHarness) -> None:
    """Scheduling stores the date and the team; the member and the kalurahan are told."""
    people = await requested(quick)
    replies = await quick.press(people.operator, "📅 Jadwalkan")
    assert "Kapan truk datang?" in texts_of(replies) and "#1" in texts_of(replies)
    await press_starting(quick, people.operator, "Minggu depan")
    replies = await quick.say(people.operator, "Tim Sentolo, truk AB 1234 CD")
    assert "Tersimpan" in texts_of(replies) and "2 orang diberi tahu" in texts_of(replies)
    request = await request_row(quick)
    assert (request.state, request.scheduled_on, request.team) == (
        "scheduled",
        date(2026, 11, 23),
        "Tim Sentolo, truk AB 1234 CD",
    )
    assert "Sedot lumpur sudah dijadwalkan" in quick.last_text(people.member)
    assert "23 November 2026" in quick.last_text(people.member)
    assert "Tim Sentolo" in quick.last_text(people.kalurahan)


async def test_queue_lists_by_date_and_reschedules(quick: BotHarness) -> None:
    """`/jadwal` lists the open request with its actions, *Selesai* once scheduled; moving the
    date tells the member it was rescheduled."""
    people = await requested(quick)
    replies = await quick.say(people.operator, "/jadwal")
    assert "1 permintaan terbuka" in texts_of(replies)
    assert quick.buttons(people.operator) == ["📅 Jadwalkan #1", "✖ Tolak #1"]
    await schedule(quick, people)
    await quick.say(people.operator, "/jadwal")
    assert quick.buttons(people.operator) == ["📅 Jadwalkan #1", "✖ Tolak #1", "✅ Selesai #1"]
    await quick.press(people.operator, "📅 Jadwalkan #1")
    await quick.say(people.operator, "30-11-2026")
    await quick.say(people.operator, "lewati")
    request = await request_row(quick)
    assert (request.state, request.scheduled_on) == ("scheduled", date(2026, 11, 30))
    assert "diubah" in quick.last_text(people.member)
    assert "30 November 2026" in quick.last_text(people.member)


async def test_done_moves_the_lltt_date_and_the_member_rates(quick: BotHarness) -> None:
    """*Selesai dikerjakan* asks the volume (a bad one is hinted) and a photo; the IPAL's last
    desludging becomes today, `/status` shows the next LLTT two years on, and the requester's
    stars and checklist are stored."""
    people = await requested(quick)
    await schedule(quick, people)
    await quick.say(people.operator, "/jadwal")
    await quick.press(people.operator, "✅ Selesai #1")
    replies = await quick.say(people.operator, "banyak")
    assert "Ketik volume dalam m³" in texts_of(replies)
    await quick.say(people.operator, "3,5")
    replies = await quick.say(people.operator, "lewati")
    assert "tercatat selesai" in texts_of(replies)
    request = await request_row(quick)
    assert (request.state, request.done_on, request.volume_m3) == ("done", TODAY, Decimal("3.5"))
    assert request.closed_at is not None
    async with quick.db.transaction() as session:
        ipal = await session.scalar(select(Ipal).where(Ipal.id == request.ipal_id))
    assert ipal is not None and ipal.last_desludged_on == TODAY
    told = texts_of(quick.sim.messages(people.member.id)[-2:])
    assert "selesai" in told and "3,5 m³" in told and "16 November 2028" in told
    replies = await quick.say(people.member, "/status")
    assert "LLTT berikutnya: 16 November 2028" in texts_of(replies)
    await quick.press(people.member, "4⭐")
    assert "4 bintang" in rating_message(quick, people)
    await quick.press(people.member, "⬜ Tidak ada lumpur tumpah")
    await quick.press(people.member, "⬜ Petugas memakai alat pelindung")
    await quick.press(people.member, "Selesai")
    assert "Terima kasih" in rating_message(quick, people)
    [rating] = await rows(quick, DesludgingRating)
    assert (rating.stars, rating.no_spillage, rating.protective_gear, rating.site_clean) == (
        4,
        True,
        True,
        False,
    )
    assert rating.rated_by_id == request.requester_id


async def test_rejection_needs_a_reason_and_tells_the_member(quick: BotHarness) -> None:
    """*Tolak* will not take `lewati`; the typed reason is stored and shown to the member."""
    people = await requested(quick)
    await quick.press(people.operator, "✖ Tolak")
    replies = await quick.say(people.operator, "lewati")
    assert "Ketik alasannya" in texts_of(replies)
    await quick.say(people.operator, "Jalan <b>ditutup</b> sampai Desember")
    request = await request_row(quick)
    assert (request.state, request.reject_reason) == (
        "rejected",
        "Jalan <b>ditutup</b> sampai Desember",
    )
    assert "ditolak" in quick.last_text(people.member)
    assert "Jalan <b>ditutup</b> sampai Desember" in quick.last_text(people.member)


async def test_member_cancels_from_status(quick: BotHarness) -> None:
    """`/status` offers to cancel the open request; after confirming it is cancelled and the
    operator is told; *Tidak* keeps it."""
    people = await requested(quick)
    await quick.say(people.member, "/status")
    await quick.press(people.member, "✖ Batalkan permintaan #1")
    await quick.press(people.member, "Tidak")
    assert (await request_row(quick)).state == "requested"
    await quick.press(people.member, "✖ Batalkan permintaan #1")
    await quick.press(people.member, "Ya, batalkan")
    request = await request_row(quick)
    assert request.state == "cancelled" and request.closed_at is not None
    assert "dibatalkan" in quick.last_text(people.member)
    assert "dibatalkan oleh Sri" in quick.last_text(people.operator)


async def test_moves_the_lifecycle_does_not_allow_are_refused(quick: BotHarness) -> None:
    """*Selesai* before scheduling, and any action once the request is closed, are answered
    plainly and change nothing."""
    people = await requested(quick)
    answer = await forge(quick, people.operator, "1|d|fin|1")
    assert answer["text"] == TEXTS("desludging-not-scheduled", number=1)
    assert (await request_row(quick)).state == "requested"
    await quick.say(people.member, "/status")
    await quick.press(people.member, "✖ Batalkan permintaan #1")
    await quick.press(people.member, "Ya, batalkan")
    for data in ("1|d|sch|1", "1|d|rej|1", "1|d|fin|1"):
        answer = await forge(quick, people.operator, data)
        assert "sudah dibatalkan" in answer["text"]
    answer = await forge(quick, people.member, "1|d|xy|1")
    assert "sudah dibatalkan" in answer["text"]
    request = await request_row(quick)
    assert (request.state, request.scheduled_on, request.reject_reason) == ("cancelled", None, None)


async def test_a_request_closed_during_the_conversation_is_not_changed(quick: BotHarness) -> None:
    """An operator who began scheduling after the member cancelled is told, and nothing moves."""
    people = await requested(quick)
    await quick.press(people.operator, "📅 Jadwalkan")
    await quick.say(people.member, "/status")
    await quick.press(people.member, "✖ Batalkan permintaan #1")
    await quick.press(people.member, "Ya, batalkan")
    await press_starting(quick, people.operator, "Besok")
    replies = await quick.say(people.operator, "Tim A")
    assert "sudah dibatalkan" in texts_of(replies)
    request = await request_row(quick)
    assert (request.state, request.scheduled_on) == ("cancelled", None)


async def test_rating_presses_that_make_no_sense_are_refused(quick: BotHarness) -> None:
    """On the rating message, a tick before any stars, six stars or an unknown item are
    refused and audited; the stars pressed on another message are refused too."""
    people = await requested(quick)
    await schedule(quick, people)
    await forge(quick, people.operator, "1|d|fin|1")
    await quick.say(people.operator, "3")
    await quick.say(people.operator, "lewati")
    asking = next(
        message
        for message in quick.sim.messages(people.member.id)
        if message.content and message.content.startswith("⭐ Sedot lumpur #1")
    )
    refusal = TEXTS("desludging-refused")
    for data in ("1|r|1|t|no_spillage", "1|r|1|s|6", "1|r|1|s|x", "1|r|x|s|5", "1|r|1|end|"):
        query = await quick.sim.press_forged_button(people.member.id, asking.message_id, data)
        await quick.settle()
        assert (quick.sim.callback_answer(query) or {}).get("text") == refusal, data
    assert await rows(quick, DesludgingRating) == []
    assert "Terima kasih" not in texts_of(quick.sim.messages(people.member.id))
    await quick.say(people.member, "/status")
    answer = await forge(quick, people.member, "1|r|1|s|5")
    assert answer["text"] == refusal
    assert await rows(quick, DesludgingRating) == []
    assert len(await audit(quick, "desludging.refused")) == 6
