"""The reporter's answer to "Sudah beres?": *Sudah* thanks them, *Belum* reopens the problem,
notes it in the history and alerts the same officials again (a critical problem at any hour,
anything else after the quiet hours)."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select

from bot.follow_up import FIXED, NOT_FIXED, problem_buttons
from bot.keyboards import EMPTY_INLINE
from bot.outgoing import send_to_user
from bot.turn import Turn
from domain.lifecycles import ProblemAction, ProblemState
from domain.quiet_hours import after_quiet_hours
from domain.routing import Purpose, at_any_hour
from domain.vocabulary import Role, Severity
from handlers.follow_up.act import Press, move_problem, pressed_message, refuse
from handlers.follow_up.copies import facts_of, refs_of, reopened_body
from models.alerts import Alert, Recipient, Subject, send_alerts
from models.audit import record_audit
from models.outbox import OutboxMessage
from models.problems import (
    ProblemEvent,
    ProblemReport,
    alerts_about,
    last_move,
    link_subject,
    load_problem,
    reopen_subject,
)
from models.users import User


def check_back_key(event_id: int) -> str:
    return f"check-back:{event_id}"


async def answer_check_back(turn: Turn, press: Press, raw: str | None) -> None:
    """Take the reporter's *Sudah* or *Belum*, on the question's own message only."""
    found = await asked_problem(turn, press)
    if found is None:
        await refuse(turn, raw, "not the reporter's check-back")
        return
    problem, user, message_id = found
    await turn.answer_button()
    if press.action == FIXED:
        await record_audit(
            turn.session,
            at=turn.now,
            action="problem.fixed",
            subject=f"problem:{problem.id}",
            actor="user",
            actor_user_id=user.id,
        )
        await close_question(turn, problem, message_id, "follow-up-check-back-fixed")
        return
    event = await move_problem(turn, problem, ProblemAction.REOPEN, actor=user)
    await close_question(turn, problem, message_id, "follow-up-check-back-reopened")
    await alert_again(turn, problem, event)


async def asked_problem(turn: Turn, press: Press) -> tuple[ProblemReport, User, int] | None:
    """The problem, when its reporter pressed the check-back of its newest resolution for the
    first time (the answer is then marked on the resolution, so the buttons act once)."""
    user, message = turn.user, pressed_message(turn)
    if user is None or message is None or press.action not in (FIXED, NOT_FIXED):
        return None
    asked = await turn.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.key == check_back_key(press.ref),
            OutboxMessage.chat_id == message.chat.id,
            OutboxMessage.message_id == message.message_id,
        )
    )
    problem = await load_problem(turn.session, problem_id=press.problem_id)
    if asked is None or problem is None or problem.reporter_id != user.id:
        return None
    last = await last_move(turn.session, problem_id=problem.id)
    if last is None or last.id != press.ref or problem.state != ProblemState.RESOLVED:
        return None
    if last.check_back_answer is not None:
        return None
    last.check_back_answer = press.action
    return problem, user, message.message_id


async def close_question(turn: Turn, problem: ProblemReport, message_id: int, key: str) -> None:
    """The question answered in place, its buttons gone."""
    texts = turn.texts
    await turn.call(
        "editMessageText",
        {
            "message_id": message_id,
            "text": texts(
                key,
                number=problem.id,
                kind=texts(f"problem-kind-{problem.kind}"),
                ipal=problem.ipal.name,
            ),
            "parse_mode": "HTML",
            "reply_markup": EMPTY_INLINE,
        },
    )


async def alert_again(turn: Turn, problem: ProblemReport, event: ProblemEvent) -> int:
    """Alert everybody who was asked to act on the problem before, once more."""
    session = turn.session
    earlier = await alerts_about(session, problem_id=problem.id)
    acting: dict[int, Alert] = {}
    for alert in earlier:
        sent = await session.get(OutboxMessage, alert.outbox_id) if alert.outbox_id else None
        if sent is not None and "reply_markup" in sent.params:
            acting.setdefault(alert.recipient_id, alert)
    recipients = []
    for recipient_id, alert in acting.items():
        user = await session.get(User, recipient_id)
        if user is not None and user.is_active and not user.is_blocked:
            recipients.append(Recipient(user, Role(alert.reason), Purpose.ACT))
    subject = reopen_subject(problem.id, event.id)
    await link_subject(session, subject=subject, problem_ids=[problem.id])
    refs = await refs_of(session, [problem])
    facts = await facts_of(session, f"problem:{problem.id}", refs)
    if facts is None:
        return 0
    quiet = turn.runtime.settings.scheduler
    severity = Severity(problem.severity)
    not_before = (
        turn.now
        if at_any_hour(severity)
        else after_quiet_hours(turn.now, start=quiet.quiet_start, end=quiet.quiet_end)
    )

    async def send(recipient: Recipient, alert: Alert) -> OutboxMessage | None:
        return await send_to_user(
            session,
            user=recipient.user,
            key=f"alert:{alert.id}",
            compose=partial(reopened_body, facts, Purpose.ACT, event.actor),
            markup=partial(problem_buttons, ref_id=alert.id, problems=refs),
            photo=facts.photo_file_id,
            now=turn.now,
            not_before=not_before,
        )

    alerts = await send_alerts(
        session,
        subject=Subject(subject, problem.ipal, problem.severity),
        recipients=recipients,
        send=send,
        now=turn.now,
    )
    return len(alerts)
