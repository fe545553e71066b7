"""How a problem's follow-up shows on an alert: one button pair per problem, and its state.

An alert about one problem carries *Tindak lanjuti* / *Selesai*; an alert about a monthly
report carries one pair per problem it is about, each naming the problem's kind. Only the
actions the problem's state still allows are shown (`domain.lifecycles.problem_actions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.callbacks import follow_up_button
from bot.conversation.base import label
from bot.keyboards import Markup, inline
from bot.render import when
from bot.texts import Html, Texts, join
from domain.lifecycles import ProblemAction, ProblemState, problem_actions
from models.problems import ProblemEvent, ProblemReport

FIXED, NOT_FIXED = "fixed", "not_fixed"
"""The reporter's answers to the check-back."""

ACTION_LABELS = {ProblemAction.ACKNOWLEDGE: "alert-ack", ProblemAction.RESOLVE: "alert-done"}


@dataclass(frozen=True)
class ProblemRef:
    """A problem an alert is about, with its state and the change that led to it."""

    id: int
    kind: str
    state: ProblemState
    last: ProblemEvent | None = None

    @classmethod
    def of(cls, problem: ProblemReport, last: ProblemEvent | None = None) -> ProblemRef:
        return cls(problem.id, problem.kind, ProblemState(problem.state), last)


def problem_buttons(texts: Texts, ref_id: int, problems: Sequence[ProblemRef]) -> Markup:
    """A row per problem with the actions its state still allows (`ref_id`: the alert's id,
    or 0 off an alert)."""
    rows = []
    for problem in problems:
        kind = texts(f"problem-kind-{problem.kind}")
        rows.append(
            [
                (
                    button_label(texts, ACTION_LABELS[action], kind, several=len(problems) > 1),
                    follow_up_button(action, ref_id, problem.id),
                )
                for action in problem_actions(problem.state)
            ]
        )
    return inline(rows)


def button_label(texts: Texts, key: str, kind: Html, *, several: bool) -> str:
    if not several:
        return label(texts, key)
    return label(texts, "follow-up-button-kind", action=label(texts, key), kind=kind)


def state_lines(texts: Texts, problems: Sequence[ProblemRef]) -> Html:
    """`#12 Bau: ✅ ditindaklanjuti oleh Pak Joko, 2 Des 2026 09.15 WIB` for each problem
    that has been acted on."""
    lines = [state_line(texts, problem) for problem in problems if problem.last is not None]
    return join(lines)


def state_line(texts: Texts, problem: ProblemRef) -> Html:
    if problem.last is None:
        return texts(
            "follow-up-line-open", number=problem.id, kind=texts(f"problem-kind-{problem.kind}")
        )
    return texts(
        f"follow-up-line-{problem.state}",
        number=problem.id,
        kind=texts(f"problem-kind-{problem.kind}"),
        who=problem.last.actor.display_name,
        at=when(texts, problem.last.at),
    )
