"""Every copy of the alerts about a problem, edited in place to show where its follow-up is.

Each recipient's copy (escalated and re-sent ones too) is rebuilt from the stored facts in the
recipient's language, with a line per problem that was acted on and only the buttons its state
still allows: `editMessageCaption` for a photo alert, `editMessageText` for a text. Buttons are
taken away by editing, never by deleting the message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts import AlertFacts, alert_body, alert_text
from bot.follow_up import ProblemRef, problem_buttons, state_lines
from bot.keyboards import EMPTY_INLINE
from bot.render import person
from bot.texts import EMPTY, Html, Texts, join, visible_length
from bot.turn import Turn
from domain.lifecycles import problem_actions
from domain.routing import Purpose
from domain.text import CAPTION_LIMIT, TEXT_LIMIT
from handlers.problem.flow import problem_facts
from handlers.report.submit import report_facts
from models.alerts import Alert
from models.areas import load_ipal
from models.outbox import OutboxMessage, OutboxStatus, enqueue
from models.problems import (
    REOPEN,
    ProblemEvent,
    ProblemReport,
    alerts_about,
    find_problem,
    last_move,
    problems_of_subject,
)
from models.reports import MonthlyReport
from models.users import User


async def refs_of(session: AsyncSession, problems: list[ProblemReport]) -> tuple[ProblemRef, ...]:
    """The problems with their state and their newest change."""
    return tuple(
        [
            ProblemRef.of(problem, await last_move(session, problem_id=problem.id))
            for problem in problems
        ]
    )


async def facts_of(
    session: AsyncSession, subject: str, refs: tuple[ProblemRef, ...]
) -> AlertFacts | None:
    """The facts an alert about `subject` told, with its problems as they stand now."""
    kind, _, rest = subject.partition(":")
    number = rest.split(":")[0]
    if not number.isdigit():
        return None
    if kind == "problem":
        problem = await find_problem(session, problem_id=int(number))
        return problem_facts(problem, refs) if problem is not None else None
    if kind == "report":
        report = await session.get(MonthlyReport, int(number))
        return report_facts(report, refs) if report is not None else None
    return None


def reopened_body(facts: AlertFacts, purpose: Purpose, reporter: User, texts: Texts) -> Html:
    """An alert sent again: who says the problem is not fixed, above the alert as it was (a
    caption without its note when it would not fit)."""
    heading = reopened_heading(texts, reporter, facts.number)
    body = join([heading, alert_body(facts, purpose, texts)])
    if facts.photo_file_id is not None and visible_length(body) > CAPTION_LIMIT:
        body = join([heading, alert_text(texts, facts, purpose, note_limit=0)])
    return body


async def edit_copies(turn: Turn, *, problem_id: int) -> int:
    """Edit every copy of every alert about the problem; how many edits were queued."""
    session = turn.session
    edits = 0
    for alert in await alerts_about(session, problem_id=problem_id):
        if await edit_copy(turn, alert):
            edits += 1
    return edits


async def edit_copy(turn: Turn, alert: Alert) -> bool:
    session = turn.session
    sent = await session.get(OutboxMessage, alert.outbox_id) if alert.outbox_id else None
    recipient = await session.get(User, alert.recipient_id)
    await load_ipal(session, ipal_id=alert.ipal_id)
    refs = await refs_of(session, await problems_of_subject(session, subject=alert.subject))
    facts = await facts_of(session, alert.subject, refs)
    if sent is None or sent.status == OutboxStatus.FAILED or recipient is None or facts is None:
        return False
    acts = "reply_markup" in sent.params
    texts = Texts(recipient.language)
    purpose = Purpose.ACT if acts else Purpose.INFO
    photo = sent.method == "sendPhoto"
    body = await copy_body(session, alert, facts, purpose, texts, photo=photo)
    params: dict[str, Any] = {"parse_mode": "HTML", "chat_id": sent.chat_id}
    params["caption" if photo else "text"] = body
    if acts:
        still_open = any(problem_actions(ref.state) for ref in refs)
        params["reply_markup"] = (
            problem_buttons(texts, alert.id, refs) if still_open else EMPTY_INLINE
        )
    await enqueue(
        session,
        chat_id=sent.chat_id,
        method="editMessageCaption" if photo else "editMessageText",
        params=params,
        now=turn.now,
        edits_id=sent.id,
        not_before=max(sent.not_before, turn.now),
    )
    return True


async def copy_body(
    session: AsyncSession,
    alert: Alert,
    facts: AlertFacts,
    purpose: Purpose,
    texts: Texts,
    *,
    photo: bool,
) -> Html:
    """The alert as it was, then the follow-up lines; a caption drops the note to fit."""
    states = state_lines(texts, facts.problems)
    limit = CAPTION_LIMIT if photo else TEXT_LIMIT
    reopened = await reopener(session, alert)
    heading = [] if reopened is None else [reopened_heading(texts, reopened, facts.number)]
    for original in (
        alert_body(facts, purpose, texts),
        alert_text(texts, facts, purpose, note_limit=0),
    ):
        body = join([*heading, original, EMPTY, states])
        if visible_length(body) <= limit:
            return body
    return states


def reopened_heading(texts: Texts, reporter: User, number: int) -> Html:
    return texts("follow-up-reopened-alert", reporter=person(reporter), number=number)


async def reopener(session: AsyncSession, alert: Alert) -> User | None:
    """For an alert sent again on reopening: the reporter who said it was not fixed."""
    parts = alert.subject.split(":")
    if len(parts) != 4 or parts[2] != REOPEN or not parts[3].isdigit():
        return None
    event = await session.scalar(select(ProblemEvent).where(ProblemEvent.id == int(parts[3])))
    return event.actor if event is not None else None
