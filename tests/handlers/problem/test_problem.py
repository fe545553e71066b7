"""Problem reports, through the simulator against the real bot."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.vocabulary import Role
from models.alerts import Alert
from models.problems import ProblemAddition, ProblemReport
from models.users import User
from tests.support.harness import BotHarness
from tests.support.reports import (
    alerted,
    counts,
    gather_people,
    rows,
    send_photo,
    send_voice,
    texts_of,
)


async def test_problem_from_menu_is_stored_and_alerts_the_kalurahan(quick: BotHarness) -> None:
    """A warning-level problem goes from the menu to the stored row and to the kalurahan only."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    replies = await quick.say(member, "⚠️ Lapor masalah")
    assert "Apa masalahnya?" in texts_of(replies)
    await quick.press(member, "Bau")
    await quick.press(member, "🟠 Segera")
    await send_photo(quick, member)
    await quick.say(member, "Bau menyengat <b>sejak</b> kemarin & makin parah")
    await quick.say(member, "⏭ Lewati")
    summary = quick.last_text(member)
    assert "Ringkasan laporan masalah" in summary
    assert "Bau menyengat <b>sejak</b> kemarin & makin parah" in summary
    replies = await quick.press(member, "✅ Kirim")
    assert "Laporan masalah #1 tersimpan" in texts_of(replies)
    [problem] = await rows(quick, ProblemReport)
    assert (problem.kind, problem.urgency, problem.severity, problem.state) == (
        "odour",
        "high",
        "warning",
        "open",
    )
    assert problem.photo_file_id and problem.photo_file_unique_id
    assert problem.note == "Bau menyengat <b>sejak</b> kemarin & makin parah"
    news = alerted(quick, people, before)
    assert list(news) == ["kalurahan"]
    [alert_message] = news["kalurahan"]
    assert alert_message.kind == "photo"
    assert "PERINGATAN" in (alert_message.caption or "")
    assert "IPAL Ngestiharjo Asri" in (alert_message.caption or "")
    assert [button["text"] for button in alert_message.inline_buttons()[0]] == [
        "✅ Tindak lanjuti",
        "☑️ Selesai",
    ]
    [alert] = await rows(quick, Alert)
    assert (alert.subject, alert.reason, alert.severity) == (
        "problem:1",
        "kalurahan_official",
        "warning",
    )


async def test_emergency_problem_alerts_critical_audience(quick: BotHarness) -> None:
    """An emergency goes to the IPAL's kalurahan and kapanewon officials and the admins only."""
    people = await gather_people(quick)
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/masalah")
    await quick.press(member, "Pipa / bak kontrol mampet")
    await quick.press(member, "🔴 Darurat")
    await quick.press(member, "⏭ Lewati")
    await send_voice(quick, member)
    await quick.say(member, "-7.857, 110.158")
    await quick.press(member, "✅ Kirim")
    [problem] = await rows(quick, ProblemReport)
    assert problem.severity == "critical"
    assert problem.voice_file_id and problem.voice_file_unique_id and problem.note is None
    assert (problem.latitude, problem.longitude) == (-7.857, 110.158)
    news = alerted(quick, people, before)
    assert sorted(news) == ["admin", "kalurahan", "kapanewon"]
    assert all("KRITIS" in texts_of(messages) for messages in news.values())


async def test_same_open_problem_can_be_added_to(quick: BotHarness) -> None:
    """A second member sees the open problem of the same kind and adds to it instead."""
    await quick.seed_ipals()
    first = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    second = await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-01")
    await quick.say(first, "/masalah")
    await quick.press(first, "Bau")
    await quick.press(first, "🟢 Bisa menunggu")
    await quick.press(first, "⏭ Lewati")
    await quick.say(first, "bau sekali")
    await quick.say(first, "lewati")
    await quick.press(first, "✅ Kirim")
    await quick.say(second, "/masalah")
    replies = await quick.press(second, "Bau")
    shown = texts_of(replies) or quick.last_text(second)
    assert "#1" in quick.last_text(second) and "Sri" in quick.last_text(second), shown
    await quick.press(second, "➕ Tambahkan ke laporan itu")
    await send_photo(quick, second)
    await quick.say(second, "sekarang juga ke rumah tetangga")
    await quick.say(second, "lewati")
    assert "Ditambahkan ke masalah #1" in quick.last_text(second)
    replies = await quick.press(second, "✅ Kirim")
    assert "ditambahkan ke masalah #1" in texts_of(replies)
    assert len(await rows(quick, ProblemReport)) == 1
    [addition] = await rows(quick, ProblemAddition)
    assert addition.note == "sekarang juga ke rumah tetangga" and addition.photo_file_id


async def test_problem_in_english_with_typed_choices(quick: BotHarness) -> None:
    """Typed choices in English work; the summary and confirmation are in English."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Ann", language="en", ipal="KP-WTS-01")
    replies = await quick.say(member, "⚠️ Report a problem")
    assert "What is wrong?" in texts_of(replies)
    for text in ("murky", "can wait", "skip", "The water is grey", "skip"):
        await quick.say(member, text)
    assert "Problem: Murky effluent" in quick.last_text(member)
    assert "Urgency: 🟢 Can wait" in quick.last_text(member)
    replies = await quick.say(member, "send")
    assert "Problem report #1 saved." in texts_of(replies)


async def test_sludge_full_problem_offers_desludging_which_may_be_declined(
    quick: BotHarness,
) -> None:
    """After a sludge-full problem the member is offered a request and may say no."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, "/masalah")
    for text in ("lumpur penuh", "segera", "lewati", "sudah penuh", "lewati", "kirim"):
        await quick.say(member, text)
    assert "Minta sedot lumpur untuk IPAL Ngestiharjo Asri sekarang?" in quick.last_text(member)
    replies = await quick.press(member, "Tidak")
    assert "tidak ada permintaan sedot lumpur yang dibuat" in texts_of(replies)
    assert len(await rows(quick, ProblemReport)) == 1


async def test_long_note_with_photo_fits_the_caption_and_a_press_alone_changes_nothing(
    quick: BotHarness,
) -> None:
    """A 1,000-character note is shortened in the photo's caption; the official's press asks
    for a note and leaves the problem open until it is answered."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/masalah")
    await quick.press(member, "Lainnya")
    await quick.press(member, "🟠 Segera")
    await send_photo(quick, member)
    await quick.say(member, "panjang " * 124 + "akhir")
    await quick.say(member, "lewati")
    await quick.press(member, "✅ Kirim")
    [problem] = await rows(quick, ProblemReport)
    assert problem.note is not None and len(problem.note) == 997
    alert_message = quick.sim.messages(people.kalurahan.id)[-1]
    caption = alert_message.caption or ""
    assert len(caption) <= 1024 and "…" in caption and "akhir" not in caption
    replies = await quick.press(people.kalurahan, "✅ Tindak lanjuti")
    assert ["Tindak lanjut masalah #1" in (reply.content or "") for reply in replies] == [True]
    [problem] = await rows(quick, ProblemReport)
    assert problem.state == "open"


async def test_critical_problem_at_night_goes_at_once_to_officials_who_can_receive(
    quick: BotHarness,
) -> None:
    """At 23:00 an overflow is sent at once; an official who blocked the bot gets no alert."""
    people = await gather_people(quick)
    async with quick.db.transaction() as session:
        blocked = await session.scalar(select(User).where(User.telegram_id == people.admin.id))
        assert blocked is not None
        blocked.is_blocked = True
    quick.clock.advance(timedelta(hours=14))
    member, before = people.member, counts(quick, people)
    await quick.say(member, "/masalah")
    for text in ("meluap", "darurat", "lewati", "air meluap ke jalan", "lewati", "kirim"):
        await quick.say(member, text)
    assert sorted(alerted(quick, people, before)) == ["kalurahan", "kapanewon"]
    assert sorted(alert.reason for alert in await rows(quick, Alert)) == [
        "kalurahan_official",
        "kapanewon_official",
    ]
