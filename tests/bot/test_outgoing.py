"""send_to_user: a message to any user, in their language, delivered once, files included."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.keyboards import inline
from bot.outgoing import TextTooLongError, catalogue_text, send_to_user
from bot.texts import EMPTY, Texts, escape, join
from domain.vocabulary import Role
from models.outbox import OutboxFile, OutboxMessage, OutboxStatus, Upload
from models.users import User
from telesim import SimUser
from telesim.files import placeholder_png
from tests.support.harness import BotHarness


async def _send(harness: BotHarness, user: SimUser, key: str, **options: Any) -> bool:
    """Queue through send_to_user in a transaction of its own; whether a row was added."""
    async with harness.db.transaction() as session:
        recipient = await session.scalar(select(User).where(User.telegram_id == user.id))
        assert recipient is not None
        row = await send_to_user(
            session,
            user=recipient,
            key=key,
            now=harness.clock.now(),
            **options,
        )
    harness.runtime.wake_delivery()
    return row is not None


async def _spooled(harness: BotHarness) -> int:
    async with harness.db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(OutboxFile)) or 0


async def test_a_text_goes_in_the_recipients_language_once(harness: BotHarness) -> None:
    """Queued from outside any update, the text is in the user's stored language; the same
    key queued again sends nothing more."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01", language="en")
    before = len(harness.sim.messages(user.id))
    expired = catalogue_text("conversation-expired")
    assert await _send(harness, user, "expired:99", compose=expired)
    assert not await _send(harness, user, "expired:99", compose=expired)
    await harness.settle()
    assert harness.texts(user)[before:] == [Texts("en")("conversation-expired")]


async def test_a_generated_png_is_uploaded_and_its_spool_removed(harness: BotHarness) -> None:
    """The exact bytes arrive as a photo with its caption and buttons; once sent, the spooled
    file is gone."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    chart = placeholder_png()
    buttons = inline([[("OK", "noop")]])
    queued = await _send(
        harness,
        user,
        "chart:1",
        compose=lambda texts: texts("summary-line", name="Grafik", value="bulan ini"),
        photo=Upload(chart, "grafik.png", "image/png"),
        markup=buttons,
    )
    assert queued
    assert await _spooled(harness) == 1
    await harness.settle()
    photo = harness.sim.messages(user.id)[-1]
    assert (photo.kind, photo.caption) == ("photo", "Grafik: bulan ini")
    assert photo.callback_data() == ["noop"]
    assert harness.sim.file_content(photo) == chart
    assert await _spooled(harness) == 0


async def test_a_generated_document_keeps_its_name(harness: BotHarness) -> None:
    """An XLSX export arrives as a document with its file name and bytes."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    export = b"PK\x03\x04 rekap"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert await _send(
        harness,
        user,
        "export:1",
        compose=lambda texts: EMPTY,
        document=Upload(export, "rekap-2026-11.xlsx", xlsx),
    )
    await harness.settle()
    document = harness.sim.messages(user.id)[-1]
    assert document.kind == "document"
    assert document.caption is None
    assert document.media["document"]["file_name"] == "rekap-2026-11.xlsx"
    assert document.media["document"]["mime_type"] == xlsx
    assert harness.sim.file_content(document) == export
    assert await _spooled(harness) == 0


async def test_a_blocked_users_files_are_dropped(harness: BotHarness) -> None:
    """A 403 fails the row for good, and its spooled bytes go with it."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    harness.sim.block_bot(user.id)
    png = Upload(placeholder_png(), "grafik.png", "image/png")
    assert await _send(harness, user, "chart:2", compose=lambda t: EMPTY, photo=png)
    await harness.settle()
    async with harness.db.transaction() as session:
        status = await session.scalar(
            select(OutboxMessage.status).where(OutboxMessage.key == "chart:2")
        )
    assert status is OutboxStatus.FAILED
    assert await _spooled(harness) == 0


async def test_texts_over_telegrams_limits_are_refused(harness: BotHarness) -> None:
    """4096 UTF-16 units of text and 1024 of caption, emoji counting two, tags nothing."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    fits = Texts("id")("summary-line", name="", value="🚽" * 2047)  # ": <b>…</b>"
    assert await _send(harness, user, "long:1", compose=lambda t: fits)
    with pytest.raises(TextTooLongError):
        await _send(harness, user, "long:2", compose=lambda t: join([fits, escape("a")], ""))
    with pytest.raises(TextTooLongError):
        await _send(
            harness, user, "long:3", compose=lambda t: escape("🚽" * 512 + "a"), photo="AgACfile"
        )
    await harness.settle()
    assert harness.sim.messages(user.id)[-1].text == ": " + "🚽" * 2047
