"""Problem report (`/masalah`): what is wrong, how urgent, photo, note, location; confirm.

    [ipal] → kind → [duplicate] → urgency → photo → note → location → summary ⇄ edit

When the same kind of problem is already open for the IPAL, the member sees it and may add
to it (then urgency is not asked) instead of opening a duplicate.
"""

from __future__ import annotations

import enum
from typing import Any

from bot.alerts import AlertFacts, alert_about
from bot.conversation.base import RETURN, finish, or_summary, user_of
from bot.conversation.engine import EDIT, END, SUMMARY, Flow, Scope
from bot.conversation.ipal import IPAL, IpalStep, chosen_ipal, ipal_params
from bot.conversation.media import LocationStep, NoteStep, PhotoStep, extras_lines, extras_of
from bot.conversation.steps import ChoiceStep, keyed, vocabulary
from bot.conversation.summary import EditStep, SummaryStep
from bot.follow_up import ProblemRef
from bot.render import alerted, joined, line, person, place, when
from bot.texts import EMPTY, Html, Texts, join
from bot.turn import Turn
from domain.access import Deed
from domain.lifecycles import OPEN_PROBLEM_STATES
from domain.routing import Event
from domain.severity import problem_severity, suggests_desludging
from domain.vocabulary import ProblemKind, Urgency
from handlers.desludging import flow as desludging
from models.areas import Ipal
from models.problems import (
    ProblemReport,
    add_to_problem,
    find_problem,
    open_problems,
    record_problem,
)

NAME = "problem"
VERSION = 1
ADD, NEW = "add", "new"
OPEN_ID = "open_id"


class Step(enum.StrEnum):
    KIND = "kind"
    DUPLICATE = "duplicate"
    URGENCY = "urgency"
    PHOTO = "photo"
    NOTE = "note"
    LOCATION = "location"


async def entry(turn: Turn, ipal: Ipal, data: dict[str, Any]) -> str:
    return Step.KIND


def adding(data: dict[str, Any]) -> bool:
    return bool(data.get(OPEN_ID)) and data.get(Step.DUPLICATE) == ADD


async def after_kind(scope: Scope) -> str:
    """Show an open problem of the same kind, if there is one."""
    ipal = await chosen_ipal(scope)
    same = (
        await open_problems(scope.turn.session, ipal_id=ipal.id, kind=scope.data[Step.KIND])
        if ipal
        else []
    )
    scope.data[OPEN_ID] = same[0].id if same else None
    scope.data[Step.DUPLICATE] = None
    return Step.DUPLICATE if same else await after_duplicate(scope)


async def after_duplicate(scope: Scope) -> str:
    if adding(scope.data):
        return or_summary(scope, Step.PHOTO)
    return or_summary(scope, Step.URGENCY) if scope.data.get(Step.URGENCY) else Step.URGENCY


async def open_problem_params(scope: Scope) -> dict[str, object]:
    problem = await find_problem(scope.turn.session, problem_id=scope.data[OPEN_ID])
    if problem is None:
        return {"number": "", "kind": "", "who": "", "at": "", "state": ""}
    return describe(scope.texts, problem)


def describe(texts: Texts, problem: ProblemReport) -> dict[str, object]:
    return {
        "number": problem.id,
        "kind": texts(f"problem-kind-{problem.kind}"),
        "who": person(problem.reporter),
        "at": when(texts, problem.reported_at),
        "state": texts(f"problem-state-{problem.state}"),
    }


async def render(scope: Scope) -> Html:
    texts, data = scope.texts, scope.data
    ipal = await chosen_ipal(scope)
    lines = [texts("problem-summary-title"), place(texts, ipal) if ipal else EMPTY]
    lines.append(line(texts, "field-kind", texts(f"problem-kind-{data[Step.KIND]}")))
    if adding(data):
        lines.append(texts("problem-summary-adding", number=data[OPEN_ID]))
    else:
        lines.append(line(texts, "field-urgency", texts(f"urgency-{data[Step.URGENCY]}")))
    lines.extend(extras_lines(texts, data))
    lines.append(texts("summary-check"))
    return join(lines)


async def submit(scope: Scope) -> str:
    """Store the problem (or the addition to the open one), alert, and offer desludging."""
    ipal = await chosen_ipal(scope)
    if ipal is None:
        return await finish(scope, scope.texts("ipal-not-yours"))
    if adding(scope.data):
        return await submit_addition(scope)
    data, user, texts = scope.data, user_of(scope), scope.texts
    kind, urgency = ProblemKind(data[Step.KIND]), Urgency(data[Step.URGENCY])
    problem = await record_problem(
        scope.turn.session,
        ipal_id=ipal.id,
        reporter_id=user.id,
        kind=kind.value,
        urgency=urgency.value,
        severity=problem_severity(kind, urgency).value,
        extras=extras_of(data),
        now=scope.turn.now,
    )
    count = await alert_about(scope.turn, problem_facts(problem))
    await finish(scope, joined(texts("problem-sent", number=problem.id), *alerted(texts, count)))
    if suggests_desludging(frozenset({kind})):
        return await desludging.offer(scope, ipal)
    return END


async def submit_addition(scope: Scope) -> str:
    problem = await find_problem(scope.turn.session, problem_id=scope.data[OPEN_ID])
    if problem is None or problem.state not in OPEN_PROBLEM_STATES:
        await scope.turn.reply(scope.texts("problem-closed-meanwhile"))
        scope.data.update({Step.DUPLICATE: NEW, OPEN_ID: None, RETURN: True})
        return Step.URGENCY
    await add_to_problem(
        scope.turn.session,
        problem_id=problem.id,
        user_id=user_of(scope).id,
        extras=extras_of(scope.data),
        now=scope.turn.now,
    )
    return await finish(scope, scope.texts("problem-added", number=problem.id))


def problem_facts(problem: ProblemReport, refs: tuple[ProblemRef, ...] | None = None) -> AlertFacts:
    """The alert about a problem report; `refs`: its follow-up as it stands (new: open)."""

    def what(texts: Texts) -> Html:
        return texts(
            "alert-what-problem",
            kind=texts(f"problem-kind-{problem.kind}"),
            urgency=texts(f"urgency-{problem.urgency}"),
        )

    return AlertFacts(
        event=Event.PROBLEM,
        number=problem.id,
        ipal=problem.ipal,
        severity=problem_severity(ProblemKind(problem.kind), Urgency(problem.urgency)),
        reporter=problem.reporter,
        at=problem.reported_at,
        what=what,
        note=problem.note,
        photo_file_id=problem.photo_file_id,
        problems=(ProblemRef.of(problem),) if refs is None else refs,
    )


def edit_fields(scope: Scope) -> list[tuple[str, str]]:
    fields = [(Step.KIND, "field-kind")]
    if not adding(scope.data):
        fields.append((Step.URGENCY, "field-urgency"))
    return [
        *fields,
        (Step.PHOTO, "field-photo"),
        (Step.NOTE, "field-note"),
        (Step.LOCATION, "field-location"),
    ]


PROBLEM = Flow(
    name=NAME,
    version=VERSION,
    first=IPAL,
    steps={
        IPAL: IpalStep(entry=entry, deed=Deed.PROBLEM, leads_to=(Step.KIND,)),
        Step.KIND: ChoiceStep(
            name=Step.KIND,
            prompt="problem-ask-kind",
            params=ipal_params,
            options=vocabulary(ProblemKind, "problem-kind-"),
            then=after_kind,
            leads_to=(Step.DUPLICATE, Step.URGENCY, Step.PHOTO, SUMMARY),
        ),
        Step.DUPLICATE: ChoiceStep(
            name=Step.DUPLICATE,
            prompt="problem-ask-duplicate",
            params=open_problem_params,
            options=keyed([(ADD, "problem-add-to-open"), (NEW, "problem-new-anyway")]),
            per_row=1,
            then=after_duplicate,
            leads_to=(Step.URGENCY, Step.PHOTO, SUMMARY),
        ),
        Step.URGENCY: ChoiceStep(
            name=Step.URGENCY,
            prompt="problem-ask-urgency",
            options=vocabulary(Urgency, "urgency-"),
            per_row=1,
            then=Step.PHOTO,
        ),
        Step.PHOTO: PhotoStep(name=Step.PHOTO, prompt="problem-ask-photo", then=Step.NOTE),
        Step.NOTE: NoteStep(
            name=Step.NOTE, prompt="problem-ask-note", optional=False, then=Step.LOCATION
        ),
        Step.LOCATION: LocationStep(
            name=Step.LOCATION, prompt="problem-ask-location", then=SUMMARY
        ),
        SUMMARY: SummaryStep(render=render, submit=submit, leads_to=(Step.URGENCY,)),
        EDIT: EditStep(fields=edit_fields),
    },
)
