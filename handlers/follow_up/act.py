"""Acting on a problem: who may, whether its state allows it, and what a change does.

Every press is checked on the server, from the database, through `domain.access`: the button's
alert must be the presser's own copy on its own message, the problem one of that alert's, and
the problem's IPAL in the presser's area. A refused press changes nothing, is answered
plainly and is written to the audit log. A change is stored with who, when and the note, in
the problem's history and the audit log, in the same transaction as the edits of every alert
copy and the message that tells the reporter.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message

from bot.callbacks import CallbackData
from bot.outgoing import send_to_user
from bot.render import person, when
from bot.texts import Html, Texts
from bot.turn import Turn
from domain.access import Deed, may
from domain.lifecycles import ACTION_TARGETS, ProblemAction, ProblemState, refused_move
from handlers.follow_up.copies import edit_copies
from models.alerts import find_pressed_alert
from models.areas import place_of
from models.audit import record_audit
from models.problems import (
    ProblemEvent,
    ProblemReport,
    last_move,
    load_problem,
    problems_of_subject,
    record_move,
)
from models.users import User, grants_of


@dataclass(frozen=True)
class Press:
    """A follow-up button's data: the action, its reference and the problem."""

    action: str
    ref: int
    problem_id: int

    @classmethod
    def of(cls, turn: Turn) -> Press | None:
        query = turn.update.callback_query
        data = CallbackData.decode(query.data if query else None)
        if data is None or len(data.args) != 3:
            return None
        action, ref, problem_id = data.args
        if not all(part.isascii() and part.isdigit() for part in (ref, problem_id)):
            return None
        return cls(action, int(ref), int(problem_id))


def pressed_message(turn: Turn) -> Message | None:
    query = turn.update.callback_query
    return query.message if query and isinstance(query.message, Message) else None


async def refuse(turn: Turn, raw: str | None, reason: str) -> None:
    """Answer a press that may not act, write it to the audit log, change nothing."""
    await turn.answer_button(turn.texts("button-stale"), alert=True)
    await record_audit(
        turn.session,
        at=turn.now,
        action="follow_up.refused",
        subject=(raw or "")[:64],
        actor="user" if turn.user is not None else "stranger",
        actor_user_id=turn.user.id if turn.user is not None else None,
        details={"telegram_id": turn.telegram_id, "reason": reason},
    )


def may_follow_up(user: User, problem: ProblemReport) -> bool:
    return may(grants_of(user), Deed.FOLLOW_UP, place_of(problem.ipal))


async def allowed_problem(turn: Turn, press: Press) -> tuple[ProblemReport | None, str]:
    """The problem a follow-up press may act on, or None with the reason it may not."""
    user, message = turn.user, pressed_message(turn)
    if user is None or message is None:
        return None, "stranger"
    problem = await load_problem(turn.session, problem_id=press.problem_id)
    if problem is None:
        return None, "no such problem"
    if press.ref:
        alert = await find_pressed_alert(
            turn.session,
            alert_id=press.ref,
            recipient_id=user.id,
            chat_id=message.chat.id,
            message_id=message.message_id,
        )
        if alert is None:
            return None, "not the presser's alert"
        of_alert = await problems_of_subject(turn.session, subject=alert.subject)
        if problem.id not in {found.id for found in of_alert}:
            return None, "not the alert's problem"
    if not may_follow_up(user, problem):
        return None, "outside the presser's area"
    return problem, ""


async def already_done(turn: Turn, problem: ProblemReport, action: ProblemAction) -> bool:
    """Tell the presser who changed the problem first, when its state refuses `action`."""
    if refused_move(ProblemState(problem.state), action) is None:
        return False
    last = await last_move(turn.session, problem_id=problem.id)
    await turn.answer_button(already_text(turn.texts, problem, last, action), alert=True)
    return True


def already_text(
    texts: Texts, problem: ProblemReport, last: ProblemEvent | None, action: ProblemAction
) -> Html:
    """Who moved the problem to the state that refuses `action`, and when."""
    if last is None:
        return texts(refused_move(ProblemState(problem.state), action) or "follow-up-refused")
    return texts(
        "follow-up-already",
        number=problem.id,
        state=texts(f"follow-up-state-{last.state_to}"),
        who=last.actor.display_name,
        at=when(texts, last.at),
    )


async def move_problem(
    turn: Turn,
    problem: ProblemReport,
    action: ProblemAction,
    *,
    actor: User,
    note: str | None = None,
    photo_file_id: str | None = None,
) -> ProblemEvent:
    """Store the change, audit it, edit every alert copy and tell the reporter."""
    event = await record_move(
        turn.session,
        problem=problem,
        state=ACTION_TARGETS[action],
        actor_id=actor.id,
        now=turn.now,
        note=note,
        photo_file_id=photo_file_id,
    )
    await record_audit(
        turn.session,
        at=turn.now,
        action=f"problem.{action}",
        subject=f"problem:{problem.id}",
        actor="user",
        actor_user_id=actor.id,
        details={"from": event.state_from, "to": event.state_to, "note": note},
    )
    await edit_copies(turn, problem_id=problem.id)
    if action is not ProblemAction.REOPEN:
        await tell_reporter(turn, problem, event)
    return event


async def tell_reporter(turn: Turn, problem: ProblemReport, event: ProblemEvent) -> None:
    """The member who reported it hears of the change in their own language."""

    def compose(texts: Texts) -> Html:
        return texts(
            f"follow-up-told-{event.state_to}",
            number=problem.id,
            kind=texts(f"problem-kind-{problem.kind}"),
            ipal=problem.ipal.name,
            who=person(event.actor),
            note=texts("follow-up-told-note", note=event.note) if event.note else "",
        )

    await send_to_user(
        turn.session,
        user=problem.reporter,
        key=f"follow-up:{event.id}",
        compose=compose,
        photo=event.photo_file_id,
        now=turn.now,
    )
