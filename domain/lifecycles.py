"""The states a problem and a desludging request go through, and which moves are allowed.

    problem:     open → acknowledged → resolved        (open → resolved directly too)
                 resolved → open                        (it came back)
    desludging:  requested → scheduled → done
                 requested | scheduled → rejected | cancelled
                 scheduled → scheduled                  (moved to another date)

The values are stored in the database (String columns): never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ProblemState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # an official follows it up
    RESOLVED = "resolved"


class RequestState(StrEnum):
    """The state of a desludging request."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


PROBLEM_MOVES: Mapping[ProblemState, frozenset[ProblemState]] = {
    ProblemState.OPEN: frozenset({ProblemState.ACKNOWLEDGED, ProblemState.RESOLVED}),
    ProblemState.ACKNOWLEDGED: frozenset({ProblemState.RESOLVED}),
    ProblemState.RESOLVED: frozenset({ProblemState.OPEN}),
}

REQUEST_MOVES: Mapping[RequestState, frozenset[RequestState]] = {
    RequestState.REQUESTED: frozenset(
        {RequestState.SCHEDULED, RequestState.REJECTED, RequestState.CANCELLED}
    ),
    RequestState.SCHEDULED: frozenset(
        {RequestState.SCHEDULED, RequestState.DONE, RequestState.REJECTED, RequestState.CANCELLED}
    ),
    RequestState.DONE: frozenset(),
    RequestState.REJECTED: frozenset(),
    RequestState.CANCELLED: frozenset(),
}

OPEN_PROBLEM_STATES: tuple[ProblemState, ...] = (ProblemState.OPEN, ProblemState.ACKNOWLEDGED)
"""A problem in one of these still needs somebody to act."""

OPEN_REQUEST_STATES: tuple[RequestState, ...] = (RequestState.REQUESTED, RequestState.SCHEDULED)
"""A request in one of these is the IPAL's one open request."""


def may_move_problem(current: ProblemState, new: ProblemState) -> bool:
    """Whether a problem in `current` may go to `new`."""
    return new in PROBLEM_MOVES.get(current, frozenset())


class ProblemAction(StrEnum):
    """What an official or the reporter does to a problem; each leads to one state."""

    ACKNOWLEDGE = "ack"
    RESOLVE = "done"
    REOPEN = "reopen"


ACTION_TARGETS: Mapping[ProblemAction, ProblemState] = {
    ProblemAction.ACKNOWLEDGE: ProblemState.ACKNOWLEDGED,
    ProblemAction.RESOLVE: ProblemState.RESOLVED,
    ProblemAction.REOPEN: ProblemState.OPEN,
}


def problem_actions(current: ProblemState) -> tuple[ProblemAction, ...]:
    """The actions an official may still take on a problem in `current` (reopening is the
    reporter's, through the check-back)."""
    return tuple(
        action
        for action in (ProblemAction.ACKNOWLEDGE, ProblemAction.RESOLVE)
        if may_move_problem(current, ACTION_TARGETS[action])
    )


REFUSALS: Mapping[tuple[ProblemState, ProblemAction], str] = {
    (ProblemState.OPEN, ProblemAction.REOPEN): "follow-up-refused-reopen-open",
    (ProblemState.ACKNOWLEDGED, ProblemAction.ACKNOWLEDGE): "follow-up-refused-ack-acknowledged",
    (ProblemState.ACKNOWLEDGED, ProblemAction.REOPEN): "follow-up-refused-reopen-acknowledged",
    (ProblemState.RESOLVED, ProblemAction.ACKNOWLEDGE): "follow-up-refused-ack-resolved",
    (ProblemState.RESOLVED, ProblemAction.RESOLVE): "follow-up-refused-done-resolved",
}
"""The catalogue key answering each action the lifecycle refuses."""


def refused_move(current: ProblemState, action: ProblemAction) -> str | None:
    """Why `action` may not be taken on a problem in `current`, as a catalogue key; None when
    it may."""
    if may_move_problem(current, ACTION_TARGETS[action]):
        return None
    return REFUSALS[(current, action)]


def may_move_request(current: RequestState, new: RequestState) -> bool:
    """Whether a desludging request in `current` may go to `new`."""
    return new in REQUEST_MOVES.get(current, frozenset())
