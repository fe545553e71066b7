"""Reusable steps for one answer each: a choice, yes or no, several choices, a number, money.

Every step takes the button and what a person would type instead (the label, its number, `ya`,
`150 ribu`…); anything else gets a hint and the same question again.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.conversation.base import Field, follow, label, question
from bot.conversation.engine import Hint, InputKind, Question, Reply, Scope
from domain.answers import (
    DONE_WORDS,
    KEEP_WORDS,
    NONE_WORDS,
    is_one_of,
    match_option,
    match_options,
    parse_yes_no,
)
from domain.counts import parse_count
from domain.errors import InputError
from domain.money import format_rupiah, parse_rupiah

DONE = "_done"
KEEP = "_keep"
CURRENT_MARK = "• "
SELECTED_MARK = "✅ "


@dataclass(frozen=True)
class Option:
    value: str
    label: str


Options = Callable[[Scope], Awaitable[list[Option]]]


def keyed(pairs: Sequence[tuple[str, str]]) -> Options:
    """Options from (value, catalogue key) pairs."""

    async def options(scope: Scope) -> list[Option]:
        return [Option(value, label(scope.texts, key)) for value, key in pairs]

    return options


def vocabulary(values: type[enum.StrEnum], prefix: str) -> Options:
    """Options for every member of a vocabulary enum, labelled `<prefix><value>`."""
    return keyed([(member.value, f"{prefix}{member.value}") for member in values])


def rows(buttons: list[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def chosen_index(reply: Reply, options: list[Option]) -> int | None:
    """The option pressed or typed, if any."""
    if reply.kind is InputKind.BUTTON:
        values = [option.value for option in options]
        return values.index(reply.value) if reply.value in values else None
    if reply.kind is InputKind.TEXT and reply.text:
        return match_option(reply.text, [option.label for option in options])
    return None


@dataclass(kw_only=True)
class ChoiceStep(Field):
    """One of a few options, one button each; the current answer is marked."""

    options: Options
    per_row: int = 2

    async def ask(self, scope: Scope) -> Question:
        current = scope.data.get(self.name)
        buttons = [
            ((CURRENT_MARK if option.value == current else "") + option.label, option.value)
            for option in await self.options(scope)
        ]
        return question(scope, await self.prompt_text(scope), rows(buttons, self.per_row))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = await self.options(scope)
        index = chosen_index(reply, options)
        if index is None:
            return Hint("hint-choice")
        scope.data[self.name] = options[index].value
        return await follow(scope, self.then)


@dataclass(kw_only=True)
class YesNoStep(Field):
    """Yes or no, stored as a boolean."""

    async def ask(self, scope: Scope) -> Question:
        current = scope.data.get(self.name)
        buttons = [
            ((CURRENT_MARK if current is value else "") + label(scope.texts, key), str(value))
            for value, key in ((True, "answer-yes"), (False, "answer-no"))
        ]
        return question(scope, await self.prompt_text(scope), [buttons])

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        answer: bool | None = None
        if reply.kind is InputKind.BUTTON:
            answer = {"True": True, "False": False}.get(reply.value or "")
        elif reply.kind is InputKind.TEXT and reply.text:
            answer = parse_yes_no(reply.text)
        if answer is None:
            return Hint("hint-yes-no")
        scope.data[self.name] = answer
        return await follow(scope, self.then)


@dataclass(kw_only=True)
class MultiChoiceStep(Field):
    """Any number of options, each button toggling; *Selesai* goes on (with none: nothing)."""

    options: Options
    per_row: int = 2

    async def ask(self, scope: Scope) -> Question:
        selected = set(scope.data.get(self.name, []))
        buttons = [
            ((SELECTED_MARK if option.value in selected else "") + option.label, option.value)
            for option in await self.options(scope)
        ]
        done = label(scope.texts, "answer-done" if selected else "answer-done-none")
        return question(
            scope, await self.prompt_text(scope), [*rows(buttons, self.per_row), [(done, DONE)]]
        )

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = await self.options(scope)
        values = [option.value for option in options]
        selected = set(scope.data.get(self.name, []))
        if reply.kind is InputKind.BUTTON and reply.value in values:
            selected ^= {reply.value}
            scope.data[self.name] = sorted(selected)
            return self.name
        if reply.kind is InputKind.TEXT and reply.text:
            typed = self._typed(reply.text, options, selected)
            if typed is None:
                return Hint("hint-multi-choice")
            selected = typed
        elif reply.value != DONE:
            return Hint("hint-multi-choice")
        scope.data[self.name] = sorted(selected)
        return await follow(scope, self.then)

    @staticmethod
    def _typed(text: str, options: list[Option], selected: set[str]) -> set[str] | None:
        """The selection a typed answer means: done as is, none, or the options listed."""
        if is_one_of(text, DONE_WORDS):
            return selected
        if is_one_of(text, NONE_WORDS):
            return set()
        indexes = match_options(text, [option.label for option in options])
        return None if indexes is None else {options[i].value for i in indexes}


Bound = int | Callable[[Scope], int]


@dataclass(kw_only=True)
class NumberStep(Field):
    """A whole number in a range; a button keeps the current answer or the last known figure."""

    minimum: int = 0
    maximum: Bound
    suggest: Callable[[Scope], Awaitable[int | None]] | None = None

    async def ask(self, scope: Scope) -> Question:
        keep = await self._keep(scope)
        buttons = [] if keep is None else [[(label(scope.texts, "answer-keep", value=keep), KEEP)]]
        return question(scope, await self.prompt_text(scope), buttons)

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        keep = await self._keep(scope)
        if reply.value == KEEP or (reply.text and is_one_of(reply.text, KEEP_WORDS)):
            if keep is None:
                return Hint("input-number-invalid")
            value = keep
        elif reply.kind is InputKind.TEXT and reply.text:
            try:
                value = parse_count(reply.text, minimum=self.minimum, maximum=self._max(scope))
            except InputError as error:
                return Hint(error.key, error.params)
        else:
            return Hint("input-number-invalid")
        scope.data[self.name] = value
        return await follow(scope, self.then)

    def _max(self, scope: Scope) -> int:
        return self.maximum if isinstance(self.maximum, int) else self.maximum(scope)

    async def _keep(self, scope: Scope) -> int | None:
        current = scope.data.get(self.name)
        if isinstance(current, int):
            return current
        suggested = await self.suggest(scope) if self.suggest is not None else None
        return suggested if suggested is None or suggested <= self._max(scope) else None


@dataclass(kw_only=True)
class MoneyStep(Field):
    """An amount in rupiah, typed the many ways members write it."""

    async def ask(self, scope: Scope) -> Question:
        current = scope.data.get(self.name)
        if not isinstance(current, int):
            return question(scope, await self.prompt_text(scope))
        amount = format_rupiah(current, scope.texts.language)
        return question(
            scope,
            await self.prompt_text(scope),
            [[(label(scope.texts, "answer-keep", value=amount), KEEP)]],
        )

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        current = scope.data.get(self.name)
        if reply.value == KEEP and isinstance(current, int):
            return await follow(scope, self.then)
        if reply.kind is not InputKind.TEXT or not reply.text:
            return Hint("input-money-invalid")
        try:
            scope.data[self.name] = parse_rupiah(reply.text)
        except InputError as error:
            return Hint(error.key, error.params)
        return await follow(scope, self.then)
