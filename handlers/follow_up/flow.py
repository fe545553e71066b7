"""The official's note when following a problem up, as conversations of a non-member role.

    ack:   note (optional, *Lewati*) → acknowledged
    done:  note (required: what was done) → photo (optional) → resolved

The press started the conversation after checking who may act; the step that finishes it
checks again (another official may have acted meanwhile, or the role be gone) and then moves
the problem.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.base import finish, user_of
from bot.conversation.engine import END, Flow, Scope
from bot.conversation.media import NOTE, PHOTO, NoteStep, PhotoStep
from domain.lifecycles import ProblemAction, ProblemState, refused_move
from handlers.follow_up.act import already_text, may_follow_up, move_problem
from handlers.follow_up.listing import refresh_view
from models.problems import last_move, load_problem

PROBLEM_ID = "problem_id"
VIEW_MESSAGE = "view_message_id"
"""The `/tindaklanjut` message the press came from, whose buttons are refreshed after."""


async def problem_params(scope: Scope) -> dict[str, object]:
    problem = await load_problem(scope.turn.session, problem_id=scope.data[PROBLEM_ID])
    kind = problem.kind if problem is not None else "other"
    return {"number": scope.data[PROBLEM_ID], "kind": scope.texts(f"problem-kind-{kind}")}


async def apply(scope: Scope, action: ProblemAction) -> str:
    """Move the problem, unless it moved meanwhile or the official may no longer act."""
    turn, user = scope.turn, user_of(scope)
    problem = await load_problem(turn.session, problem_id=scope.data[PROBLEM_ID])
    if problem is None or not may_follow_up(user, problem):
        return await finish(scope, scope.texts("follow-up-refused"))
    if refused_move(ProblemState(problem.state), action) is not None:
        last = await last_move(turn.session, problem_id=problem.id)
        return await finish(scope, already_text(scope.texts, problem, last, action))
    photo = scope.data.get(PHOTO)
    await move_problem(
        turn,
        problem,
        action,
        actor=user,
        note=scope.data.get(NOTE),
        photo_file_id=photo["file_id"] if photo else None,
    )
    if scope.data.get(VIEW_MESSAGE):
        await refresh_view(turn, problem, message_id=int(scope.data[VIEW_MESSAGE]))
    done = "follow-up-acked" if action is ProblemAction.ACKNOWLEDGE else "follow-up-resolved"
    return await finish(scope, scope.texts(done, number=problem.id))


async def acknowledge(scope: Scope) -> str:
    return await apply(scope, ProblemAction.ACKNOWLEDGE)


async def resolve(scope: Scope) -> str:
    return await apply(scope, ProblemAction.RESOLVE)


ACKNOWLEDGE = Flow(
    name="follow_up_ack",
    version=1,
    first=NOTE,
    steps={
        NOTE: NoteStep(
            name=NOTE,
            prompt="follow-up-ack-prompt",
            params=problem_params,
            then=acknowledge,
            leads_to=(END,),
            voice=False,
        ),
    },
)

RESOLVE = Flow(
    name="follow_up_done",
    version=1,
    first=NOTE,
    steps={
        NOTE: NoteStep(
            name=NOTE,
            prompt="follow-up-done-prompt",
            params=problem_params,
            then=PHOTO,
            optional=False,
            voice=False,
        ),
        PHOTO: PhotoStep(name=PHOTO, prompt="follow-up-done-photo", then=resolve, leads_to=(END,)),
    },
)

FLOWS = {ProblemAction.ACKNOWLEDGE: ACKNOWLEDGE, ProblemAction.RESOLVE: RESOLVE}


def flow_data(problem_id: int, view_message_id: int | None) -> dict[str, Any]:
    return {PROBLEM_ID: problem_id, VIEW_MESSAGE: view_message_id}
