"""RSVP under a notice through the simulator against the real bot: capacity under presses at
the same moment, the waiting list, changed answers, the deadline, the list and the reminder."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import openpyxl
from sqlalchemy import select

from bot.notices import REMIND
from domain.notices import Standing
from domain.vocabulary import Role
from models.notices import Notice, Rsvp
from scheduler.registry import SWEEPS, run_sweeps
from telesim import SimUser
from tests.support.harness import BotHarness
from tests.support.notices import SEND, copies, join_as, wait_until_done, write_notice

TEXT = "Pelatihan hari kedua untuk AKSANSI dan KSM"
YES, NO = "✅ Hadir", "❌ Tidak hadir"


async def rsvp_notice(
    quick: BotHarness, members: int, capacity: int
) -> tuple[SimUser, list[SimUser]]:
    """An admin's notice with RSVP to `members` members, the event the day after tomorrow."""
    await quick.seed_ipals()
    admin = await join_as(quick, Role.ADMIN, "Admin")
    people = [
        await join_as(quick, Role.MEMBER, f"Anggota {n}", ipal="KP-WTS-01") for n in range(members)
    ]
    await write_notice(quick, admin, TEXT, "anggota KSM", "Seluruh kabupaten", "Tidak", "Ya")
    day_after = next(label for label in quick.buttons(admin) if label.startswith("Lusa"))
    await quick.press(admin, day_after)
    await quick.say(admin, str(capacity))
    for label in ("Sampai hari H", "Sekarang", SEND):
        await quick.press(admin, label)
    await wait_until_done(quick)
    return admin, people


async def press(quick: BotHarness, user: SimUser, label: str) -> str:
    """Press `label` under the notice in the user's chat; the text of the bot's answer."""
    message = next(m for m in quick.sim.messages(user.id) if TEXT in (m.content or ""))
    data = next(
        b["callback_data"] for row in message.inline_buttons() for b in row if b["text"] == label
    )
    query = await quick.sim.press_button(user.id, message.message_id, data)
    await quick.settle()
    answer = quick.sim.callback_answer(query)
    assert answer is not None
    return str(answer.get("text", ""))


async def standings(quick: BotHarness) -> list[Standing]:
    async with quick.db.transaction() as session:
        return list(await session.scalars(select(Rsvp.standing).order_by(Rsvp.id)))


async def test_capacity_holds_under_presses_at_the_same_moment(quick: BotHarness) -> None:
    """Six press *Hadir* at once for three places: three attend, three wait, in order."""
    _, people = await rsvp_notice(quick, members=6, capacity=3)
    messages = [
        next(m for m in quick.sim.messages(u.id) if TEXT in (m.content or "")) for u in people
    ]
    presses = [
        quick.sim.press_button(u.id, m.message_id, m.inline_buttons()[0][0]["callback_data"])
        for u, m in zip(people, messages, strict=True)
    ]
    queries = await asyncio.gather(*presses)
    await quick.settle()
    found = await standings(quick)
    assert sorted(found) == sorted([Standing.ATTENDING] * 3 + [Standing.WAITING] * 3)
    answers = [str((quick.sim.callback_answer(q) or {}).get("text", "")) for q in queries]
    waiting = sorted(a for a in answers if "daftar tunggu" in a)
    assert [a.split("nomor ")[1][0] for a in waiting] == ["1", "2", "3"]
    async with quick.db.transaction() as session:
        notice = await session.scalar(select(Notice))
    assert notice is not None and notice.attending == 3


async def test_a_freed_place_goes_to_the_first_waiting(quick: BotHarness) -> None:
    """Full: *Hadir* waits with its position; a *Tidak hadir* gives the first waiting the
    place, and they are told; answers can be changed."""
    _, (first, second, third) = await rsvp_notice(quick, members=3, capacity=1)
    assert await press(quick, first, YES) == "Terima kasih, Anda tercatat hadir."
    assert "daftar tunggu nomor 1" in await press(quick, second, YES)
    assert "daftar tunggu nomor 2" in await press(quick, third, YES)
    assert await press(quick, first, NO) == "Tercatat: tidak hadir."
    assert "Anda sekarang tercatat" in quick.last_text(second)
    assert await standings(quick) == [Standing.DECLINED, Standing.ATTENDING, Standing.WAITING]
    assert "daftar tunggu nomor 2" in await press(quick, first, YES)  # behind the third


async def test_answers_close_at_the_deadline(quick: BotHarness) -> None:
    """After the deadline the buttons say RSVP is closed and nothing changes."""
    _, (member,) = await rsvp_notice(quick, members=1, capacity=5)
    quick.clock.advance(timedelta(days=3))
    assert await press(quick, member, YES) == "Pendaftaran sudah ditutup."
    assert await standings(quick) == []


async def test_a_button_pressed_by_someone_else_changes_nothing(quick: BotHarness) -> None:
    """RSVP data pressed on a message that is not the user's notice is refused."""
    admin, (member,) = await rsvp_notice(quick, members=1, capacity=5)
    data = next(
        b["callback_data"]
        for m in quick.sim.messages(member.id)
        for row in m.inline_buttons()
        for b in row
        if b["text"] == YES
    )
    last = quick.sim.messages(admin.id)[-1]
    query = await quick.sim.press_forged_button(admin.id, last.message_id, data)
    await quick.settle()
    assert (quick.sim.callback_answer(query) or {}).get("text") == "Acara ini tidak ditemukan."
    assert await standings(quick) == []


async def test_the_admin_gets_the_list_and_the_xlsx(quick: BotHarness) -> None:
    """The list names who answered what; the XLSX has a header and one row per answer."""
    admin, (first, second) = await rsvp_notice(quick, members=2, capacity=5)
    await press(quick, first, YES)
    await press(quick, second, NO)
    await quick.say(admin, "/siaran")
    await quick.press(admin, next(b for b in quick.buttons(admin) if b.endswith("Daftar RSVP")))
    listing = quick.texts(admin)[-1]
    assert "Anggota 0 — anggota KSM, IPAL Ngestiharjo Asri: hadir" in listing
    assert "Anggota 1 — anggota KSM, IPAL Ngestiharjo Asri: tidak hadir" in listing
    await quick.say(admin, "/siaran")
    await quick.press(admin, next(b for b in quick.buttons(admin) if b.endswith("XLSX")))
    document = quick.sim.messages(admin.id)[-1]
    sheet = openpyxl.load_workbook(io.BytesIO(quick.sim.file_content(document))).active
    assert sheet is not None
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("Nama", "Peran", "Lembaga atau wilayah", "Jawaban", "Waktu")
    assert [row[3] for row in rows[1:]] == ["hadir", "tidak hadir"]


async def test_attendees_are_reminded_the_day_before_once(quick: BotHarness) -> None:
    """The day before the event, after the quiet hours, each *Hadir* gets one reminder."""
    _, (going, staying) = await rsvp_notice(quick, members=2, capacity=5)
    await press(quick, going, YES)
    await press(quick, staying, NO)
    tomorrow_morning = quick.clock.now().replace(hour=9) + timedelta(days=1)
    remind = [sweep for sweep in SWEEPS if sweep.name == REMIND]
    first = await run_sweeps(quick.runtime, at=tomorrow_morning, sweeps=remind)
    again = await run_sweeps(quick.runtime, at=tomorrow_morning, sweeps=remind)
    quick.clock.advance(timedelta(days=1))
    quick.runtime.wake_delivery()
    await quick.settle()
    assert first == {REMIND: 1} and again == {REMIND: 0}
    assert copies(quick, going, "Pengingat: besok acaranya") == 1
    assert copies(quick, staying, "Pengingat") == 0


async def test_who_turned_rsvp_reminders_off_is_not_reminded(quick: BotHarness) -> None:
    """Two attend; one turned the `rsvp` reminders off with `/pengingat`: only the other gets
    the day-before reminder, and the one who turned it off is not reminded later either."""
    _, (keeps, turned_off) = await rsvp_notice(quick, members=2, capacity=5)
    await press(quick, keeps, YES)
    await press(quick, turned_off, YES)
    await quick.say(turned_off, "/pengingat")
    await quick.press(turned_off, "✅ Acara yang akan dihadiri")
    assert "🔕 Acara yang akan dihadiri" in quick.buttons(turned_off)
    tomorrow_morning = quick.clock.now().replace(hour=9) + timedelta(days=1)
    remind = [sweep for sweep in SWEEPS if sweep.name == REMIND]
    first = await run_sweeps(quick.runtime, at=tomorrow_morning, sweeps=remind)
    again = await run_sweeps(quick.runtime, at=tomorrow_morning, sweeps=remind)
    quick.clock.advance(timedelta(days=1))
    quick.runtime.wake_delivery()
    await quick.settle()
    assert first == {REMIND: 1} and again == {REMIND: 0}
    assert copies(quick, keeps, "Pengingat: besok acaranya") == 1
    assert copies(quick, turned_off, "Pengingat: besok acaranya") == 0


async def test_the_last_notices_show_their_rsvp_counts(quick: BotHarness) -> None:
    """`/siaran` lists a notice with RSVP with its delivery figures and who is attending,
    waiting and not attending."""
    admin, (first, second, third) = await rsvp_notice(quick, members=3, capacity=1)
    await press(quick, first, YES)
    await press(quick, second, YES)
    await press(quick, third, NO)
    replies = await quick.say(admin, "/siaran")
    listing = replies[0].content or ""
    assert "3 terkirim, 0 gagal dari 3" in listing, listing
    assert "RSVP: 1 hadir, 1 menunggu, 1 tidak hadir" in listing, listing
