"""Tests for domain.lifecycles: every move between two states, as a table."""

from __future__ import annotations

import pytest

from domain.lifecycles import (
    OPEN_PROBLEM_STATES,
    OPEN_REQUEST_STATES,
    ProblemAction,
    ProblemState,
    RequestState,
    may_move_problem,
    may_move_request,
    problem_actions,
    refused_move,
)

# from → to: allowed (every pair of states is listed)
PROBLEM_TABLE = [
    ("open", "open", False),
    ("open", "acknowledged", True),
    ("open", "resolved", True),
    ("acknowledged", "open", False),
    ("acknowledged", "acknowledged", False),
    ("acknowledged", "resolved", True),
    ("resolved", "open", True),
    ("resolved", "acknowledged", False),
    ("resolved", "resolved", False),
]

REQUEST_TABLE = [
    ("requested", "requested", False),
    ("requested", "scheduled", True),
    ("requested", "done", False),
    ("requested", "rejected", True),
    ("requested", "cancelled", True),
    ("scheduled", "requested", False),
    ("scheduled", "scheduled", True),
    ("scheduled", "done", True),
    ("scheduled", "rejected", True),
    ("scheduled", "cancelled", True),
    ("done", "requested", False),
    ("done", "scheduled", False),
    ("done", "done", False),
    ("done", "rejected", False),
    ("done", "cancelled", False),
    ("rejected", "requested", False),
    ("rejected", "scheduled", False),
    ("rejected", "done", False),
    ("rejected", "rejected", False),
    ("rejected", "cancelled", False),
    ("cancelled", "requested", False),
    ("cancelled", "scheduled", False),
    ("cancelled", "done", False),
    ("cancelled", "rejected", False),
    ("cancelled", "cancelled", False),
]


@pytest.mark.parametrize(("current", "new", "allowed"), PROBLEM_TABLE)
def test_problem_moves(current: str, new: str, allowed: bool) -> None:
    """A problem moves only along the lifecycle's arrows."""
    assert may_move_problem(ProblemState(current), ProblemState(new)) is allowed


@pytest.mark.parametrize(("current", "new", "allowed"), REQUEST_TABLE)
def test_request_moves(current: str, new: str, allowed: bool) -> None:
    """A desludging request moves only along the lifecycle's arrows; done, rejected and
    cancelled are final."""
    assert may_move_request(RequestState(current), RequestState(new)) is allowed


def test_tables_cover_every_pair_of_states() -> None:
    """Each table lists every (from, to) pair once, so no move is left unstated."""
    problem_pairs = {(current, new) for current, new, _ in PROBLEM_TABLE}
    request_pairs = {(current, new) for current, new, _ in REQUEST_TABLE}
    assert problem_pairs == {(a.value, b.value) for a in ProblemState for b in ProblemState}
    assert request_pairs == {(a.value, b.value) for a in RequestState for b in RequestState}
    assert len(PROBLEM_TABLE) == len(problem_pairs) and len(REQUEST_TABLE) == len(request_pairs)


def test_stored_values_are_unchanged() -> None:
    """The values the database already holds keep their spelling."""
    assert [state.value for state in ProblemState] == ["open", "acknowledged", "resolved"]
    assert [state.value for state in RequestState] == [
        "requested",
        "scheduled",
        "done",
        "rejected",
        "cancelled",
    ]
    assert OPEN_PROBLEM_STATES == ("open", "acknowledged")
    assert OPEN_REQUEST_STATES == ("requested", "scheduled")


# state, action: the catalogue key of the refusal (None: allowed)
ACTION_TABLE = [
    ("open", "ack", None),
    ("open", "done", None),
    ("open", "reopen", "follow-up-refused-reopen-open"),
    ("acknowledged", "ack", "follow-up-refused-ack-acknowledged"),
    ("acknowledged", "done", None),
    ("acknowledged", "reopen", "follow-up-refused-reopen-acknowledged"),
    ("resolved", "ack", "follow-up-refused-ack-resolved"),
    ("resolved", "done", "follow-up-refused-done-resolved"),
    ("resolved", "reopen", None),
]


@pytest.mark.parametrize(("current", "action", "refusal"), ACTION_TABLE)
def test_problem_actions_are_refused_with_a_reason(
    current: str, action: str, refusal: str | None
) -> None:
    """An action the lifecycle forbids names its refusal; an allowed one names none."""
    assert refused_move(ProblemState(current), ProblemAction(action)) == refusal


def test_officials_keep_only_the_actions_still_possible() -> None:
    """Open: both buttons; acknowledged: only *Selesai*; resolved: none."""
    assert problem_actions(ProblemState.OPEN) == (ProblemAction.ACKNOWLEDGE, ProblemAction.RESOLVE)
    assert problem_actions(ProblemState.ACKNOWLEDGED) == (ProblemAction.RESOLVE,)
    assert problem_actions(ProblemState.RESOLVED) == ()
