"""The slow halves of `/rekap` and `/ekspor`, run after their update has committed.

Each shows its chat action while it works, then queues its file through the outbox in a
transaction of its own under a key of its update (`rekap:<update>`, `export:<update>`), so the
file is sent once, even to a user who pressed twice.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.charts import PHOTO_LIMIT, draw_summary
from bot.chat_action import UPLOAD_DOCUMENT, UPLOAD_PHOTO, ActionSender, showing
from bot.export import XLSX_TYPE, ExportRequest, write_workbook
from bot.outgoing import Compose, catalogue_text, send_to_user
from bot.runtime import Runtime
from bot.texts import Texts
from domain.dates import format_date
from domain.summary import Summary
from models.outbox import Upload
from models.users import User

log = logging.getLogger(__name__)
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Recipient:
    runtime: Runtime
    bot: ActionSender
    user_id: int
    chat_id: int
    language: str
    key: str
    """The outbox key of the file's message."""


async def send_chart(to: Recipient, summary: Summary, *, title: str) -> None:
    """Draw the summary's chart and queue it as a photo."""
    texts = Texts(to.language)
    async with showing(to.bot, to.chat_id, UPLOAD_PHOTO):
        png = await asyncio.to_thread(draw_summary, summary, texts, title=title)
    upload = Upload(png, "rekap.png", "image/png")
    as_photo = len(png) <= PHOTO_LIMIT
    await _queue(
        to,
        catalogue_text("rekap-chart-caption", title=title),
        photo=upload if as_photo else None,
        document=None if as_photo else upload,
    )


async def send_export(to: Recipient, request: ExportRequest, *, area: str) -> None:
    """Write the area's workbook and queue it as a document, or say it is too big."""
    texts = Texts(to.language)
    limit = to.runtime.settings.export.upload_limit_mb
    first = format_date(request.period.first, to.language)
    last = format_date(request.period.last, to.language)
    with tempfile.TemporaryDirectory(prefix="sanimas-export-") as folder:
        path = Path(folder) / f"sanimas-{request.period.first}-{request.period.last}.xlsx"
        try:
            async with (
                showing(to.bot, to.chat_id, UPLOAD_DOCUMENT),
                to.runtime.db.reading() as session,
            ):
                rows = await write_workbook(path, session=session, texts=texts, request=request)
        except Exception:  # the user must hear of it; the error goes to the log
            log.exception("the export for user %s failed", to.user_id)
            await _queue(to, catalogue_text("export-failed"))
            return
        size = path.stat().st_size
        if size > limit * MEGABYTE:
            megabytes = f"{size / MEGABYTE:.1f}"
            limit_text = f"{limit:g}"
            await _queue(to, catalogue_text("export-too-big", size=megabytes, limit=limit_text))
            return
        upload = Upload(path.read_bytes(), path.name, XLSX_TYPE)
    compose = catalogue_text("export-ready", area=area, first=first, last=last, count=rows)
    await _queue(to, compose, document=upload)


async def _queue(
    to: Recipient, compose: Compose, *, photo: Upload | None = None, document: Upload | None = None
) -> None:
    runtime = to.runtime
    async with runtime.db.transaction() as session:
        user = await session.get(User, to.user_id)
        if user is None:
            return
        await send_to_user(
            session,
            user=user,
            key=to.key,
            compose=compose,
            now=runtime.clock.now(),
            photo=photo,
            document=document,
        )
    runtime.wake_delivery()
