"""Files: what users send is downloadable through getFile; what the bot sends is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from telegram import Bot, InputFile

from telesim import Simulator


async def test_a_photo_the_user_sent_can_be_downloaded(sim: Simulator, bot: Bot) -> None:
    """getFile gives a path under base_file_url; the bytes are the ones the user sent."""
    user = sim.add_user("Sri")
    await sim.send_photo(user.id, caption="Bak kontrol", content=b"\xff\xd8jpeg-bytes")
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None
    assert update.message.caption == "Bak kontrol"
    largest = update.message.photo[-1]
    assert largest.width > update.message.photo[0].width
    telegram_file = await largest.get_file()
    assert telegram_file.file_path is not None
    assert telegram_file.file_path.startswith(sim.base_file_url)
    assert bytes(await telegram_file.download_as_bytearray()) == b"\xff\xd8jpeg-bytes"


async def test_user_media_arrive_with_their_telegram_shapes(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    await sim.send_voice(user.id, duration=7)
    await sim.send_sticker(user.id)
    await sim.send_location(user.id, -7.86, 110.16)
    await sim.send_document(user.id, file_name="debit.csv", content=b"tanggal,debit\n")
    messages = [u.message for u in await bot.get_updates(timeout=0) if u.message]
    voice, sticker, location, document = messages
    assert voice.voice is not None
    assert voice.voice.duration == dt.timedelta(seconds=7)
    assert sticker.sticker is not None
    assert sticker.sticker.emoji == "👍"
    assert location.location is not None
    assert location.location.latitude == -7.86
    assert document.document is not None
    assert document.document.file_name == "debit.csv"
    assert document.document.mime_type == "text/csv"
    downloaded = await (await document.document.get_file()).download_as_bytearray()
    assert bytes(downloaded) == b"tanggal,debit\n"


async def test_the_bot_uploads_and_reuses_files(sim: Simulator, bot: Bot) -> None:
    """A multipart upload gets a file_id that a later send can reuse."""
    user = sim.add_user("Sri")
    first = await bot.send_photo(
        user.id, io.BytesIO(b"png-bytes"), caption="<i>grafik</i>", parse_mode="HTML"
    )
    again = await bot.send_photo(user.id, first.photo[-1].file_id)
    report = await bot.send_document(user.id, InputFile(b"a,b\n", filename="laporan.csv"))
    [photo, reused, document] = sim.messages(user.id)
    assert (photo.kind, photo.caption, photo.entities) == (
        "photo",
        "grafik",
        [{"type": "italic", "offset": 0, "length": 6}],
    )
    assert again.photo[-1].file_id == first.photo[-1].file_id
    assert reused.kind == "photo"
    assert report.document is not None
    assert report.document.file_name == "laporan.csv"
    assert document.media["document"]["file_size"] == 4
    assert sim.violations == []


async def test_uploaded_bytes_are_kept_for_comparison(sim: Simulator, bot: Bot) -> None:
    """Multipart sendPhoto/sendDocument: the message's file holds the exact bytes sent, and
    the call log names each upload's SHA-256."""
    user = sim.add_user("Sri")
    chart, export = b"\x89PNG\r\n\x1a\nchart", b"PK\x03\x04xlsx"
    await bot.send_photo(user.id, InputFile(chart, filename="grafik.png"))
    await bot.send_document(user.id, InputFile(export, filename="rekap.xlsx"))
    photo, document = sim.messages(user.id)
    assert sim.file_content(photo) == chart
    assert sim.file_content(document) == export
    assert [call.uploads for call in sim.calls if call.method.startswith("send")] == [
        {"photo": hashlib.sha256(chart).hexdigest()},
        {"document": hashlib.sha256(export).hexdigest()},
    ]
