"""Bad input, double taps and cancelling in the members' flows: a hint, never a wrong write."""

from __future__ import annotations

import asyncio

from domain.vocabulary import Role
from models.problems import ProblemReport
from models.reports import MonthlyReport
from telesim import SimMessage
from tests.support.harness import BotHarness
from tests.support.reports import rows, send_photo, send_sticker, send_voice, texts_of


def expect_hint(replies: list[SimMessage], hint: str, question: str) -> None:
    text = texts_of(replies)
    assert hint in text and question in text, text


async def test_every_step_answers_bad_input_with_a_hint_and_the_same_question(
    quick: BotHarness,
) -> None:
    """Stickers, voice notes, photos, words, numbers out of range and overlong notes."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, "/lapor")
    expect_hint(await send_sticker(quick, member), "tekan salah satu tombol", "kondisi IPAL")
    await quick.press(member, "✅ Berfungsi baik")
    expect_hint(await quick.say(member, "bau, banjir"), "ketik namanya", "Masalah apa saja")
    await quick.press(member, "✔️ Tidak ada masalah")
    expect_hint(await send_voice(quick, member), "Ketik sebuah angka", "sambungan rumah")
    expect_hint(await quick.say(member, "99999"), "antara 0 dan 5000", "sambungan rumah")
    expect_hint(await quick.say(member, "<b>12</b>"), "Ketik sebuah angka", "sambungan rumah")
    await quick.say(member, "58")
    expect_hint(await quick.say(member, "59"), "antara 0 dan 58", "membayar iuran")
    await quick.say(member, "45")
    expect_hint(await send_photo(quick, member), "Ketik jumlah uangnya", "iuran yang terkumpul")
    expect_hint(await quick.say(member, "banyak"), "Ketik jumlah uangnya", "iuran yang terkumpul")
    await quick.say(member, "Rp150.000")
    expect_hint(
        await quick.say(member, "mungkin"), "Jawab dengan Ya atau Tidak", "operator yang aktif"
    )
    await quick.press(member, "Ya")
    await quick.press(member, "Tidak")
    await quick.press(member, "Ya")
    expect_hint(await quick.say(member, "ini fotonya"), "Kirim sebuah foto", "foto")
    await quick.press(member, "⏭ Lewati")
    expect_hint(await send_sticker(quick, member), "Kirim lokasi saya", "lokasi")
    await quick.say(member, "⏭ Lewati")
    expect_hint(await send_photo(quick, member), "kirim pesan suara", "catatan")
    expect_hint(await quick.say(member, "x" * 5000), "paling banyak 1000 huruf", "catatan")
    await quick.say(member, "*tebal* _miring_ <script>alert(1)</script> & `kode`")
    summary = quick.last_text(member)
    assert "*tebal* _miring_ <script>alert(1)</script> & `kode`" in summary
    expect_hint(await send_sticker(quick, member), "Tekan Kirim, Ubah atau Batal", "Ringkasan")
    await quick.press(member, "✅ Kirim")
    [report] = await rows(quick, MonthlyReport)
    assert (report.active_connections, report.paying_households, report.fee_collected) == (
        58,
        45,
        150_000,
    )
    assert report.note == "*tebal* _miring_ <script>alert(1)</script> & `kode`"


async def test_double_tap_on_send_stores_one_problem(quick: BotHarness) -> None:
    """The second tap of a double tap is answered as stale and stores nothing more."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, "/masalah")
    for text in ("bau", "segera", "lewati", "bau sekali", "lewati"):
        await quick.say(member, text)
    summary = quick.sim.messages(member.id)[-1]
    send = summary.callback_data()[0]
    queries = await asyncio.gather(
        quick.sim.press_button(member.id, summary.message_id, send),
        quick.sim.press_button(member.id, summary.message_id, send),
    )
    await quick.settle()
    answers = [quick.sim.callback_answer(query) or {} for query in queries]
    assert sorted(answer.get("text") or "" for answer in answers) == [
        "",
        "Tombol ini sudah tidak berlaku.",
    ]
    assert len(await rows(quick, ProblemReport)) == 1
    assert not quick.sim.messages(member.id)[-2].inline_buttons()


async def test_cancel_from_the_summary_stores_nothing(quick: BotHarness) -> None:
    """A problem needs its note; *Batal* then ends with nothing stored and the menu back."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, "/masalah")
    for text in ("2", "3", "lewati"):
        await quick.say(member, text)
    expect_hint(await quick.say(member, "lewati"), "kirim pesan suara", "Ceritakan singkat")
    for text in ("catatan", "lewati"):
        await quick.say(member, text)
    assert "Masalah: Meluap / bocor" in quick.last_text(member)
    assert "Tingkat: 🔴 Darurat" in quick.last_text(member)
    replies = await quick.press(member, "✖️ Batal")
    assert "Dibatalkan. Tidak ada yang disimpan." in texts_of(replies)
    assert quick.sim.reply_keyboard(member.id) is not None
    assert "📝 Laporan bulanan" in quick.sim.reply_keyboard(member.id)[0]  # type: ignore[index]
    assert await rows(quick, ProblemReport) == []
