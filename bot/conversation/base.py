"""What every step shares: its prompt, where it goes next, and how a flow starts and ends."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.conversation.engine import END, SUMMARY, Flow, Question, Scope, begin, end
from bot.keyboards import Markup
from bot.texts import Html, Texts
from bot.turn import Turn, require_joined
from models.users import User, roles_of

RETURN = "_summary"
"""Data flag set by *Ubah*: after the changed step, go back to the summary."""

Next = str | Callable[[Scope], Awaitable[str]]
Params = Callable[[Scope], Awaitable[Mapping[str, object]]]


async def follow(scope: Scope, then: Next) -> str:
    """The step after this one: a fixed name (the summary while changing an answer), or what
    the flow's own function decides."""
    if isinstance(then, str):
        return or_summary(scope, then)
    return str(await then(scope))


def or_summary(scope: Scope, step: str) -> str:
    return SUMMARY if scope.data.get(RETURN) else str(step)


def label(texts: Texts, key: str, **params: object) -> str:
    """A catalogue text for a button: buttons show plain text, so entities are undone."""
    return html.unescape(texts(key, **params))


@dataclass(kw_only=True)
class Field:
    """A step that stores one answer under `name` and asks with the catalogue text `prompt`."""

    name: str
    prompt: str
    then: Next
    params: Params | None = None
    """Values for the prompt's placeholders, read from the answers so far."""
    leads_to: tuple[str, ...] = ()
    """The steps a computed `then` may lead to (`END` when it may finish the flow)."""

    def next_steps(self) -> tuple[str, ...]:
        fixed = (self.then,) if isinstance(self.then, str) else ()
        return (*fixed, *self.leads_to)

    async def prompt_text(self, scope: Scope) -> Html:
        values = await self.params(scope) if self.params is not None else {}
        return scope.texts(self.prompt, **values)


def question(
    scope: Scope,
    text: Html,
    buttons: list[list[tuple[str, str]]] | None = None,
    *,
    keyboard: Markup | None = None,
) -> Question:
    return Question(text, buttons or [], keyboard)


def user_of(scope: Scope) -> User:
    user = scope.turn.user
    if user is None:
        raise RuntimeError("a conversation always belongs to a joined user")
    return user


async def begin_flow(turn: Turn, flow: Flow, data: dict[str, Any] | None = None) -> None:
    """Begin `flow` at its first step for any joined user, whatever their roles (the feature
    has checked what they may do)."""
    if await require_joined(turn) is None:
        return
    await begin(turn, flow, data)


async def begin_at(turn: Turn, flow: Flow, step: str, data: dict[str, Any]) -> None:
    """Begin `flow` at `step`: the answers in `data` make the steps before it unneeded."""
    await begin(turn, flow, data, step=step)


async def hand_over(scope: Scope, flow: Flow, step: str, data: dict[str, Any]) -> str:
    """Finish this conversation and begin `flow` at `step`; a step's take returns the result."""
    await begin_at(scope.turn, flow, step, data)
    scope.conversation.status = "done"
    return END


async def finish(scope: Scope, text: Html) -> str:
    """Say `text` with the main menu (a location keyboard may have hidden it) and end."""
    await send_with_menu(scope.turn, text)
    return END


async def cancel(scope: Scope) -> str:
    """Leave the conversation without storing anything."""
    await end(scope.turn, status="cancelled")
    await send_with_menu(scope.turn, scope.texts("cancelled"))
    return END


async def send_with_menu(turn: Turn, text: Html) -> None:
    roles = roles_of(turn.user) if turn.user is not None else frozenset()
    await turn.reply(text, markup=turn.runtime.menu.keyboard(turn.texts, roles))
