"""The end of every flow: a readable summary with *Kirim* / *Ubah* / *Batal*, and the list of
steps *Ubah* goes back to (answers kept; after the change the summary comes back)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.conversation.base import RETURN, cancel, question
from bot.conversation.engine import EDIT, END, SUMMARY, Hint, Question, Reply, Scope
from bot.conversation.steps import Option, chosen_index, keyed, rows
from bot.texts import Html

SEND, CHANGE, CANCEL, BACK = "send", "change", "cancel", "back"
ACTIONS = keyed([(SEND, "summary-send"), (CHANGE, "summary-change"), (CANCEL, "summary-cancel")])


@dataclass(kw_only=True)
class SummaryStep:
    """Shows what will be stored; only *Kirim* stores it (through `submit`)."""

    render: Callable[[Scope], Awaitable[Html]]
    submit: Callable[[Scope], Awaitable[str]]
    name: str = SUMMARY
    leads_to: tuple[str, ...] = ()
    """The steps `submit` may lead to besides the end (a conflict to settle, say)."""

    def next_steps(self) -> tuple[str, ...]:
        return (EDIT, END, *self.leads_to)

    async def ask(self, scope: Scope) -> Question:
        buttons = [(option.label, option.value) for option in await ACTIONS(scope)]
        return question(scope, await self.render(scope), [buttons])

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = await ACTIONS(scope)
        index = chosen_index(reply, options)
        if index is None:
            return Hint("hint-summary")
        action = options[index].value
        if action == SEND:
            return str(await self.submit(scope))
        if action == CHANGE:
            return EDIT
        return await cancel(scope)


@dataclass(kw_only=True)
class EditStep:
    """Which answer to change: one button per step, and one back to the summary."""

    fields: Callable[[Scope], Sequence[tuple[str, str]]]
    """(step, catalogue key of its name) for the steps that may be changed now."""
    name: str = EDIT

    def next_steps(self) -> tuple[str, ...]:
        """Back to the summary; the steps to change come from `fields` as the flow runs."""
        return (SUMMARY,)

    async def ask(self, scope: Scope) -> Question:
        buttons = [(option.label, option.value) for option in await self._options(scope)]
        return question(scope, scope.texts("edit-choose"), rows(buttons, 2))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = await self._options(scope)
        index = chosen_index(reply, options)
        if index is None:
            return Hint("hint-choice")
        step = options[index].value
        if step == BACK:
            return SUMMARY
        scope.data[RETURN] = True
        return step

    async def _options(self, scope: Scope) -> list[Option]:
        pairs = [*self.fields(scope), (BACK, "edit-back")]
        return await keyed(pairs)(scope)
