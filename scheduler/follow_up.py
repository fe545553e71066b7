"""The check-back: some days after *Selesai*, the reporter is asked "Sudah beres?".

Each resolution is asked about once (its `check_back_at` is set in the same transaction as
the message, whose key is the resolution's), and only while the problem is still resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import follow_up_button
from bot.conversation.base import label
from bot.follow_up import FIXED, NOT_FIXED
from bot.keyboards import Markup, inline
from bot.outgoing import send_to_user
from bot.render import when
from bot.settings import Settings
from bot.texts import Html, Texts
from models.problems import ProblemEvent, ProblemReport, due_check_backs, find_problem


async def ask_check_backs(
    session: AsyncSession, *, now: datetime, not_before: datetime, settings: Settings
) -> int:
    """Ask each reporter whose problem was resolved long enough ago whether it is fixed."""
    days = timedelta(days=settings.follow_up.check_back_days)
    asked = 0
    for event in await due_check_backs(session, resolved_before=now - days):
        problem = await find_problem(session, problem_id=event.problem_id)
        event.check_back_at = now
        if problem is None:
            continue
        sent = await send_to_user(
            session,
            user=problem.reporter,
            key=f"check-back:{event.id}",
            compose=partial(question, problem=problem, event=event),
            markup=partial(buttons, problem=problem, event=event),
            now=now,
            not_before=not_before,
        )
        asked += sent is not None
    return asked


def question(texts: Texts, *, problem: ProblemReport, event: ProblemEvent) -> Html:
    return texts(
        "follow-up-check-back",
        number=problem.id,
        kind=texts(f"problem-kind-{problem.kind}"),
        ipal=problem.ipal.name,
        at=when(texts, event.at),
    )


def buttons(texts: Texts, *, problem: ProblemReport, event: ProblemEvent) -> Markup:
    return inline(
        [
            [
                (label(texts, "follow-up-fixed"), follow_up_button(FIXED, event.id, problem.id)),
                (
                    label(texts, "follow-up-not-fixed"),
                    follow_up_button(NOT_FIXED, event.id, problem.id),
                ),
            ]
        ]
    )
