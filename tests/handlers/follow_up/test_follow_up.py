"""Officials follow problems up through the simulator against the real bot: every copy of the
alert edited in place, the second press told who acted, the reporter told at each step, and
the check-back that reopens a problem."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.audit import AuditEntry
from models.outbox import OutboxMessage
from models.problems import ProblemEvent, ProblemReport
from scheduler.registry import run_sweeps
from telesim import SimMessage, SimUser
from tests.support.harness import BotHarness
from tests.support.reports import People, gather_people, rows, send_photo, texts_of

ACK, DONE = "✅ Tindak lanjuti", "☑️ Selesai"


async def report_overflow(harness: BotHarness, people: People) -> None:
    """The member reports an emergency overflow (critical: kalurahan, kapanewon, admin)."""
    await harness.say(people.member, "/masalah")
    for text in ("meluap", "darurat", "lewati", "air meluap ke jalan", "lewati", "kirim"):
        await harness.say(people.member, text)


def alert_of(harness: BotHarness, user: SimUser) -> SimMessage:
    """The user's alert (the newest message with follow-up buttons), as it is now."""
    for message in reversed(harness.sim.messages(user.id)):
        if any(
            b["callback_data"].startswith("1|f|") for row in message.inline_buttons() for b in row
        ):
            return message
    raise AssertionError(f"no alert in chat {user.id}")


def now_shown(harness: BotHarness, user: SimUser, message_id: int) -> SimMessage:
    [message] = [m for m in harness.sim.messages(user.id) if m.message_id == message_id]
    return message


def labels(message: SimMessage) -> list[str]:
    return [button["text"] for row in message.inline_buttons() for button in row]


def data_of(message: SimMessage, label: str) -> str:
    return next(
        str(b["callback_data"])
        for row in message.inline_buttons()
        for b in row
        if b["text"] == label
    )


async def press_on(harness: BotHarness, user: SimUser, message_id: int, data: str) -> str:
    """Press `data` on the message (as a stale client still showing it would); the answer."""
    query = await harness.sim.press_forged_button(user.id, message_id, data)
    await harness.settle()
    answer = harness.sim.callback_answer(query) or {}
    return str(answer.get("text") or "")


async def test_alert_to_resolution_with_two_officials(quick: BotHarness) -> None:
    """The kalurahan official acknowledges, the kapanewon official's used button is refused
    with who acted, then resolves with a note; both copies are edited each time and the
    member is told at each step."""
    people = await gather_people(quick)
    await report_overflow(quick, people)
    lurah_alert, panewu_alert = alert_of(quick, people.kalurahan), alert_of(quick, people.kapanewon)
    assert labels(lurah_alert) == [ACK, DONE] == labels(panewu_alert)
    old_ack = data_of(panewu_alert, ACK)

    await quick.press(people.kalurahan, ACK)
    assert "Tindak lanjut masalah #1" in quick.last_text(people.kalurahan)
    replies = await quick.say(people.kalurahan, "Besok kami cek <b>pipanya</b>")
    assert "Masalah #1 ditindaklanjuti" in texts_of(replies)
    for user, alert in ((people.kalurahan, lurah_alert), (people.kapanewon, panewu_alert)):
        shown = now_shown(quick, user, alert.message_id)
        assert "✅ ditindaklanjuti oleh Lurah" in (shown.content or "")
        assert "IPAL Ngestiharjo Asri" in (shown.content or "")
        assert labels(shown) == [DONE] and shown.edit_date is not None
    told = quick.last_text(people.member)
    assert "sedang ditindaklanjuti oleh Lurah" in told and "Besok kami cek <b>pipanya</b>" in told

    answer = await press_on(quick, people.kapanewon, panewu_alert.message_id, old_ack)
    assert answer.startswith("Masalah #1 sudah ditindaklanjuti oleh Lurah")
    assert len(await rows(quick, ProblemEvent)) == 1

    await quick.press(people.kapanewon, DONE)
    replies = await quick.say(people.kapanewon, "lewati")
    assert "Tulis catatan" in texts_of(replies), "a resolution needs its note"
    await quick.say(people.kapanewon, "Pipa sudah diganti")
    replies = await quick.press(people.kapanewon, "⏭ Lewati")
    assert "Masalah #1 ditandai selesai" in texts_of(replies)
    for user, alert in ((people.kalurahan, lurah_alert), (people.kapanewon, panewu_alert)):
        shown = now_shown(quick, user, alert.message_id)
        assert "☑️ selesai oleh Panewu" in (shown.content or "")
        assert labels(shown) == []
    assert "ditandai selesai oleh Panewu" in quick.last_text(people.member)
    assert "Pipa sudah diganti" in quick.last_text(people.member)

    [problem] = await rows(quick, ProblemReport)
    assert problem.state == "resolved"
    events = await rows(quick, ProblemEvent)
    assert [(e.state_from, e.state_to, e.note) for e in events] == [
        ("open", "acknowledged", "Besok kami cek <b>pipanya</b>"),
        ("acknowledged", "resolved", "Pipa sudah diganti"),
    ]
    async with quick.db.transaction() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "problem.ack" in actions and "problem.done" in actions


async def test_photo_alert_is_edited_by_its_caption(quick: BotHarness) -> None:
    """A problem sent with a photo: *Selesai* with a note and a photo edits the caption, and
    the member gets the photo with the note."""
    people = await gather_people(quick)
    await quick.say(people.member, "/masalah")
    await quick.press(people.member, "Bau")
    await quick.press(people.member, "🟠 Segera")
    await send_photo(quick, people.member)
    await quick.say(people.member, "bau sekali")
    await quick.say(people.member, "lewati")
    await quick.press(people.member, "✅ Kirim")
    alert = alert_of(quick, people.kalurahan)
    assert alert.kind == "photo"
    await quick.press(people.kalurahan, DONE)
    await quick.say(people.kalurahan, "Saluran dibersihkan")
    await send_photo(quick, people.kalurahan)
    shown = now_shown(quick, people.kalurahan, alert.message_id)
    assert shown.kind == "photo" and shown.edit_date is not None
    assert "☑️ selesai oleh Lurah" in (shown.caption or "") and labels(shown) == []
    told = quick.sim.messages(people.member.id)[-1]
    assert told.kind == "photo" and "Saluran dibersihkan" in (told.caption or "")
    [event] = await rows(quick, ProblemEvent)
    assert event.photo_file_id is not None


async def test_check_back_not_fixed_reopens_and_alerts_again(quick: BotHarness) -> None:
    """Three days after *Selesai* the reporter is asked once; *Belum* reopens the problem and
    the same officials get the alert again, with buttons."""
    people = await gather_people(quick)
    await report_overflow(quick, people)
    await quick.press(people.kalurahan, DONE)
    await quick.say(people.kalurahan, "Sudah dibersihkan")
    await quick.press(people.kalurahan, "⏭ Lewati")
    quick.clock.advance(timedelta(days=2))
    await run_sweeps(quick.runtime, at=quick.clock.now())
    await quick.settle()
    assert "Sudah beres?" not in quick.last_text(people.member)
    quick.clock.advance(timedelta(days=1, minutes=1))
    for _ in range(2):
        await run_sweeps(quick.runtime, at=quick.clock.now())
        await quick.settle()
    asked = [text for text in quick.texts(people.member) if "Sudah beres?" in text]
    assert len(asked) == 1
    before = {name: len(quick.sim.messages(u.id)) for name, u in people.officials().items()}
    await quick.press(people.member, "👎 Belum")
    assert "belum beres. Masalah dibuka lagi" in quick.last_text(people.member)
    [problem] = await rows(quick, ProblemReport)
    assert problem.state == "open"
    events = await rows(quick, ProblemEvent)
    assert [(e.state_from, e.state_to) for e in events][-1] == ("resolved", "open")
    realerted = {
        name: quick.sim.messages(u.id)[before[name] :] for name, u in people.officials().items()
    }
    got = sorted(
        name
        for name, messages in realerted.items()
        if any("DIBUKA LAGI" in (m.content or "") for m in messages)
    )
    assert got == ["admin", "kalurahan", "kapanewon"]
    again = alert_of(quick, people.kapanewon)
    assert "DIBUKA LAGI" in (again.content or "") and labels(again) == [ACK, DONE]
    async with quick.db.transaction() as session:
        keys = list(
            await session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.key.like("check-back:%"))
            )
        )
    assert len(keys) == 1


async def test_check_back_fixed_thanks_and_its_buttons_are_then_stale(quick: BotHarness) -> None:
    """*Sudah* thanks the reporter, keeps the problem resolved and takes the buttons away; the
    same data pressed again, or by somebody else, is refused and changes nothing."""
    people = await gather_people(quick)
    await report_overflow(quick, people)
    await quick.press(people.kalurahan, DONE)
    await quick.say(people.kalurahan, "Sudah dibersihkan")
    await quick.press(people.kalurahan, "⏭ Lewati")
    quick.clock.advance(timedelta(days=3, minutes=1))
    await run_sweeps(quick.runtime, at=quick.clock.now())
    await quick.settle()
    question = quick.sim.messages(people.member.id)[-1]
    assert "Sudah beres?" in (question.content or "")
    not_fixed = data_of(question, "👎 Belum")
    await quick.press(people.member, "👍 Sudah")
    shown = now_shown(quick, people.member, question.message_id)
    assert "sudah beres. Terima kasih!" in (shown.content or "") and labels(shown) == []
    answer = await press_on(quick, people.member, question.message_id, not_fixed)
    assert answer == "Tombol ini sudah tidak berlaku."
    newest = quick.sim.messages(people.kalurahan.id)[-1]
    answer = await press_on(quick, people.kalurahan, newest.message_id, not_fixed)
    assert answer == "Tombol ini sudah tidak berlaku."
    [problem] = await rows(quick, ProblemReport)
    assert problem.state == "resolved" and len(await rows(quick, ProblemEvent)) == 1
