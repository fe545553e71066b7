"""Notices on their way: the fan-out in chunks, the admin's progress and report, RSVP reminders.

The fan-out queues one bulk outbox row per recipient under `notice:<id>:<user>`, a chunk per
run, moving the notice's cursor in the same transaction; a run that is repeated, or resumed
after a kill, queues nobody twice. The outbox worker delivers them after direct replies and
alerts, under the global rate. In the quiet hours nothing is fanned out and what still waits is
held until `quiet_end`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import EMPTY_INLINE, Markup
from bot.notices import cancel_markup, notice_body, notice_markup
from bot.outgoing import Letter, catalogue_text, send_to_user, send_to_users
from bot.settings import Settings
from bot.texts import Html, Texts, join, telegram_html, visible_length
from domain.dates import WIB
from domain.notices import estimate_progress, split_caption
from domain.quiet_hours import after_quiet_hours, is_quiet
from domain.text import CAPTION_LIMIT
from models.notices import (
    Figures,
    Notice,
    NoticeDelivery,
    NoticeStatus,
    Rsvp,
    delivery_figures,
    notice_audience,
    notices_due,
    notices_sending,
    record_deliveries,
    record_delivery,
    wants_rsvp_reminder,
)
from models.outbox import OutboxMessage, OutboxStatus, enqueue
from models.users import User

CHUNK = 500
PROGRESS_EVERY = timedelta(seconds=5)


async def queue_notice(
    session: AsyncSession,
    *,
    notice: Notice,
    user: User,
    now: datetime,
    key: str,
    not_before: datetime | None = None,
) -> int | None:
    """Queue the notice for one user (the file first when its text is too long for a
    caption), to go from `not_before` (now when None); the id of the outbox row carrying
    the text."""
    texts = Texts(user.language)
    body = notice_body(texts, notice)
    photo, document = notice.photo_file_id, notice.document_file_id
    markup = notice_markup(notice)
    if (photo or document) and split_caption(visible_length(body), limit=CAPTION_LIMIT):
        await send_to_user(
            session,
            user=user,
            key=f"{key}:file",
            compose=lambda _: join([]),
            photo=photo,
            document=document,
            now=now,
            bulk=True,
            not_before=not_before,
        )
        photo = document = None
    row = await send_to_user(
        session,
        user=user,
        key=key,
        compose=lambda t: notice_body(t, notice),
        markup=markup,
        photo=photo,
        document=document,
        now=now,
        bulk=True,
        not_before=not_before,
    )
    if row is not None:
        return row.id
    return await session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key))


async def fan_out_notices(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Queue the next chunk of every notice due; in the quiet hours hold what waits instead.
    How many messages it queued. The rows go from `not_before`: the running bot's own sweep
    passes `now`, the command line the running bot's time for its `--at`."""
    quiet = settings.scheduler
    if is_quiet(now, start=quiet.quiet_start, end=quiet.quiet_end):
        await hold_for_quiet_hours(session, now=now, settings=settings, not_before=not_before)
        return 0
    queued = 0
    for notice in await notices_due(session, now=now):
        queued += await fan_out_chunk(session, notice=notice, now=now, not_before=not_before)
    return queued


async def fan_out_chunk(
    session: AsyncSession, *, notice: Notice, now: datetime, not_before: datetime | None = None
) -> int:
    notice.status = NoticeStatus.SENDING
    pending = [
        i for i in await notice_audience(session, notice=notice) if i > notice.cursor_user_id
    ]
    chunk = pending[:CHUNK]
    if notice.photo_file_id or notice.document_file_id:
        users = await session.scalars(select(User).where(User.id.in_(chunk)).order_by(User.id))
        for user in users:
            outbox_id = await queue_notice(
                session,
                notice=notice,
                user=user,
                now=now,
                key=f"notice:{notice.id}:{user.id}",
                not_before=not_before,
            )
            await record_delivery(
                session, notice_id=notice.id, user_id=user.id, outbox_id=outbox_id
            )
    elif chunk:
        await _queue_texts(session, notice=notice, user_ids=chunk, now=now, not_before=not_before)
    if chunk:
        notice.cursor_user_id = chunk[-1]
    notice.fanned_out = len(pending) <= CHUNK
    return len(chunk)


async def _queue_texts(
    session: AsyncSession,
    *,
    notice: Notice,
    user_ids: list[int],
    now: datetime,
    not_before: datetime | None,
) -> None:
    """A text-only notice for a chunk of recipients: its rows in multi-row INSERTs, the text
    composed once per language, and the deliveries recorded in one more."""
    recipients = (
        await session.execute(
            select(User.id, User.telegram_id, User.language)
            .where(User.id.in_(user_ids))
            .order_by(User.id)
        )
    ).all()
    compose = partial(notice_body, notice=notice)
    markup = notice_markup(notice)
    keys = {f"notice:{notice.id}:{user_id}": user_id for user_id, _, _ in recipients}
    letters = [
        Letter(chat_id=chat_id, language=language, key=key, compose=compose, markup=markup)
        for key, (_, chat_id, language) in zip(keys, recipients, strict=True)
    ]
    await send_to_users(session, letters, now=now, bulk=True, not_before=not_before)
    # the ids by key, those queued by an earlier run of this chunk included
    queued = await session.execute(
        select(OutboxMessage.key, OutboxMessage.id).where(OutboxMessage.key.in_(keys))
    )
    outbox_ids: dict[int, int | None] = dict.fromkeys(keys.values())
    for key, outbox_id in queued:
        if key is not None:
            outbox_ids[keys[key]] = outbox_id
    await record_deliveries(session, notice_id=notice.id, outbox_ids=outbox_ids)


async def hold_for_quiet_hours(
    session: AsyncSession, *, now: datetime, settings: Settings, not_before: datetime | None = None
) -> int:
    """Move what notices still have waiting to the end of the quiet hours `now` falls in
    (counted from `not_before`, the running bot's time for `now`, when given)."""
    quiet = settings.scheduler
    wake = after_quiet_hours(now, start=quiet.quiet_start, end=quiet.quiet_end)
    if not_before is not None:
        wake = not_before + (wake - now)
    sending = select(Notice.id).where(Notice.status == NoticeStatus.SENDING)
    rows = select(NoticeDelivery.outbox_id).where(NoticeDelivery.notice_id.in_(sending))
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(rows), OutboxMessage.status == OutboxStatus.PENDING)
        .where(OutboxMessage.not_before < wake)
        .values(not_before=wake)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def report_notice_progress(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Edit each sending notice's progress message (at most every 5 s) and send the report of
    one that is done; how many notices are still on their way."""
    busy = 0
    for notice in await notices_sending(session, now=now):
        figures = await delivery_figures(session, notice_id=notice.id)
        admin = await session.get(User, notice.created_by_id)
        if admin is None:
            continue
        texts = Texts(admin.language)
        failed = figures.failed + figures.blocked
        remaining = max(notice.recipients - figures.sent - failed, figures.pending)
        progress = estimate_progress(
            sent=figures.sent,
            failed=failed,
            remaining=figures.pending if notice.fanned_out else remaining,
            rate=settings.outbox.global_rate,
        )
        done = notice.fanned_out and figures.pending == 0
        if done:
            notice.status, notice.finished_at = NoticeStatus.DONE, now
            await send_report(session, notice=notice, admin=admin, now=now, not_before=not_before)
        else:
            busy += 1
        if (
            notice.progress_at is not None
            and timedelta(0) <= now - notice.progress_at < PROGRESS_EVERY
            and not done
        ):
            continue
        text = texts(
            "notice-progress",
            number=notice.id,
            sent=progress.sent,
            failed=progress.failed,
            remaining=progress.remaining,
            seconds=progress.seconds_left,
        )
        markup = EMPTY_INLINE if done else cancel_markup(texts, notice)
        await edit_progress(
            session, notice=notice, text=text, markup=markup, now=now, not_before=not_before
        )
    return busy


async def edit_progress(
    session: AsyncSession,
    *,
    notice: Notice,
    text: Html,
    markup: Markup,
    now: datetime,
    not_before: datetime | None = None,
) -> None:
    """Edit the progress message in place, when its text changed (not before `not_before`:
    the command line's sweep as of a later instant must not hold the admin's chat)."""
    notice.progress_at = now
    if notice.progress_outbox_id is None or text == notice.progress_text:
        return
    notice.progress_text = str(text)
    await enqueue(
        session,
        chat_id=notice.admin_chat_id,
        method="editMessageText",
        params={
            "chat_id": notice.admin_chat_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": markup,
        },
        now=now,
        edits_id=notice.progress_outbox_id,
        not_before=not_before,
    )


async def send_report(
    session: AsyncSession,
    *,
    notice: Notice,
    admin: User,
    now: datetime,
    not_before: datetime | None = None,
) -> None:
    figures = await delivery_figures(session, notice_id=notice.id)
    await send_to_user(
        session,
        user=admin,
        key=f"notice:{notice.id}:report",
        compose=lambda texts: report_text(texts, notice=notice, figures=figures),
        now=now,
        not_before=not_before,
    )


def report_text(texts: Texts, *, notice: Notice, figures: Figures) -> Html:
    """The admin's final report: delivered, blocked, failed with the reasons, unreachable, and
    the messages that may have arrived twice (on the wire at a kill), when there were any."""
    reasons = "; ".join(f"{reason} ({count})" for reason, count in sorted(figures.reasons.items()))
    report = texts(
        "notice-report",
        number=notice.id,
        delivered=figures.sent,
        blocked=figures.blocked,
        failed=figures.failed,
        unreachable=notice.unreachable,
        reasons=reasons or "-",
    )
    if not figures.repeats:
        return report
    return join([report, texts("notice-report-repeats", count=figures.repeats)])


async def remind_attendees(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Remind who answered *Hadir* the day before the event, once each."""
    tomorrow = now.astimezone(WIB).date() + timedelta(days=1)
    rows = await session.execute(
        select(Rsvp, Notice, User, wants_rsvp_reminder())
        .join(Notice, Notice.id == Rsvp.notice_id)
        .join(User, User.id == Rsvp.user_id)
        .where(Notice.event_on == tomorrow, Notice.status != NoticeStatus.CANCELLED)
        .where(Rsvp.standing == "attending", Rsvp.reminded.is_(False))
    )
    reminded = 0
    for rsvp, notice, user, wanted in rows:
        rsvp.reminded = True
        if user.deactivated_at is not None or user.is_blocked or not wanted:
            continue
        await send_to_user(
            session,
            user=user,
            key=f"rsvp:{notice.id}:{user.id}:reminder",
            compose=catalogue_text("rsvp-reminder", text=telegram_html(notice.text_html)),
            now=now,
            not_before=not_before,
            bulk=True,
        )
        reminded += 1
    return reminded
