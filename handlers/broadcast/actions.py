"""Buttons of notices: a recipient's *Hadir* / *Tidak hadir*, and the admin's cancel, list and
XLSX export; and the list of an admin's last notices that `/siaran` shows first."""

from __future__ import annotations

from telegram import Message

from bot.callbacks import CallbackData, notice_button
from bot.keyboards import EMPTY_INLINE, InlineRows
from bot.notices import PROGRESS
from bot.outgoing import catalogue_text, send_to_user
from bot.render import day, when
from bot.texts import Html, Texts, join
from bot.turn import Turn, handler, require_joined
from domain.access import Deed, Place, may
from domain.notices import Answer, Standing, rsvp_open
from handlers.broadcast.export import rsvp_rows, rsvp_workbook
from models.notices import (
    Notice,
    NoticeStatus,
    answer_rsvp,
    cancel_notice,
    delivery_figures,
    find_pressed_notice,
    recent_notices,
    rsvp_counts,
)
from models.outbox import Upload
from models.users import User, grants_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pressed_message(turn: Turn) -> tuple[CallbackData, Message] | None:
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    message = query.message if query and isinstance(query.message, Message) else None
    if data is None or message is None or len(data.args) != 2 or not data.args[1].isdigit():
        return None
    return data, message


@handler
async def press_rsvp(turn: Turn) -> None:
    """Record the recipient's answer, with a place, the waiting list or a freed place."""
    user = await require_joined(turn)
    found = pressed_message(turn)
    if user is None:
        return
    if found is None or found[0].args[0] not in Answer._value2member_map_:
        await turn.answer_button(turn.texts("rsvp-unknown"), alert=True)
        return
    (raw_answer, notice_id), message = found[0].args, found[1]
    notice = await find_pressed_notice(
        turn.session, notice_id=int(notice_id), user_id=user.id, message_id=message.message_id
    )
    if notice is None or not notice.rsvp or notice.status is NoticeStatus.CANCELLED:
        await turn.answer_button(turn.texts("rsvp-unknown"), alert=True)
        return
    if not rsvp_open(deadline=notice.rsvp_deadline, now=turn.now):
        await turn.answer_button(turn.texts("rsvp-closed"), alert=True)
        return
    result = await answer_rsvp(
        turn.session, notice=notice, user=user, answer=Answer(raw_answer), now=turn.now
    )
    if result.standing is Standing.WAITING:
        await turn.answer_button(turn.texts("rsvp-waiting", position=result.position), alert=True)
    else:
        await turn.answer_button(turn.texts(f"rsvp-{result.standing}"))
    event_on = notice.event_on
    if result.promoted is not None and event_on is not None:
        await send_to_user(
            turn.session,
            user=result.promoted,
            key=f"rsvp:{notice.id}:{result.promoted.id}:promoted:{turn.update.update_id}",
            compose=lambda texts: texts("rsvp-promoted", date=day(texts, event_on)),
            now=turn.now,
        )


def is_admin(user: User) -> bool:
    return may(grants_of(user), Deed.SEND_NOTICE, Place())


@handler
async def press_notice(turn: Turn) -> None:
    """An admin's cancel, RSVP list or XLSX export of one of the notices."""
    user = await require_joined(turn)
    found = pressed_message(turn)
    if user is None:
        return
    notice = None
    if found is not None and is_admin(user):
        notice = await turn.session.get(Notice, int(found[0].args[1]))
    if found is None or notice is None:
        await turn.answer_button(turn.texts("notice-unknown"), alert=True)
        return
    action = found[0].args[0]
    if action == "cancel":
        await cancel(turn, notice, found[1])
    elif action == "list":
        await turn.reply(
            rsvp_list_text(
                turn.texts, notice, await rsvp_rows(turn.session, notice, texts=turn.texts)
            )
        )
    elif action == "xlsx":
        await send_workbook(turn, user, notice)
    else:
        await turn.answer_button(turn.texts("notice-unknown"), alert=True)


async def cancel(turn: Turn, notice: Notice, message: Message) -> None:
    if notice.status in (NoticeStatus.DONE, NoticeStatus.CANCELLED):
        await turn.answer_button(turn.texts("notice-already-over"), alert=True)
        return
    stopped = await cancel_notice(turn.session, notice=notice, now=turn.now)
    figures = await delivery_figures(turn.session, notice_id=notice.id)
    # what is still pending now is on its way (claimed before the cancel): it counts as sent
    going = figures.sent + figures.pending
    text = turn.texts("notice-cancelled", number=notice.id, sent=going, stopped=stopped)
    notice.progress_text = str(text)
    await turn.call(
        "editMessageText",
        {
            "message_id": message.message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": EMPTY_INLINE,
        },
    )
    turn.wake_sweep(PROGRESS)


def rsvp_list_text(texts: Texts, notice: Notice, rows: list[tuple[str, ...]]) -> Html:
    lines = [texts("notice-list-title", number=notice.id)]
    if not rows:
        lines.append(texts("notice-list-empty"))
    for name, role, where, answer, at in rows:
        lines.append(
            texts("notice-list-line", name=name, role=role, where=where, answer=answer, when=at)
        )
    return join(lines)


async def send_workbook(turn: Turn, user: User, notice: Notice) -> None:
    rows = await rsvp_rows(turn.session, notice, texts=turn.texts)
    content = rsvp_workbook(turn.texts, rows)
    await send_to_user(
        turn.session,
        user=user,
        key=f"notice:{notice.id}:xlsx:{turn.update.update_id}",
        compose=catalogue_text("notice-xlsx-caption", number=notice.id),
        document=Upload(content, f"siaran_{notice.id}_rsvp.xlsx", XLSX),
        now=turn.now,
    )


async def recent_text(turn: Turn, user: User) -> tuple[Html, InlineRows] | None:
    """The admin's last notices with their figures and RSVP counts, and their buttons."""
    notices = await recent_notices(turn.session, admin_id=user.id)
    if not notices:
        return None
    texts = turn.texts
    lines: list[Html] = [texts("notice-recent-title")]
    rows: list[list[tuple[str, str]]] = []
    for notice in notices:
        figures = await delivery_figures(turn.session, notice_id=notice.id)
        lines.append(
            texts(
                "notice-recent-line",
                number=notice.id,
                status=texts(f"notice-status-{notice.status}"),
                when=when(texts, notice.send_at),
                sent=figures.sent,
                failed=figures.failed + figures.blocked,
                recipients=notice.recipients,
            )
        )
        if notice.rsvp:
            counts = await rsvp_counts(turn.session, notice_id=notice.id)
            lines.append(texts("notice-recent-rsvp", **{s.value: counts[s] for s in Standing}))
            rows.append(
                [
                    (
                        f"#{notice.id} {texts.plain('notice-list')}",
                        notice_button("list", notice.id),
                    ),
                    (
                        f"#{notice.id} {texts.plain('notice-xlsx')}",
                        notice_button("xlsx", notice.id),
                    ),
                ]
            )
    return join(lines), rows
