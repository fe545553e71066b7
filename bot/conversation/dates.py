"""A date step: buttons for the next days and weeks, or a date typed as `DD-MM-YYYY`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.conversation.base import Field, follow, label, question
from bot.conversation.engine import Hint, InputKind, Question, Reply, Scope
from bot.conversation.steps import CURRENT_MARK, Option, chosen_index, rows
from domain.dates import format_date_short, parse_date
from domain.errors import InputError

OFFSETS = (
    (0, "date-today"),
    (1, "date-tomorrow"),
    (2, "date-in-two-days"),
    (7, "date-next-week"),
    (14, "date-in-two-weeks"),
    (30, "date-in-a-month"),
)


@dataclass(kw_only=True)
class DateStep(Field):
    """A date from today up to `max_days_ahead`, stored as an ISO string."""

    max_days_ahead: Callable[[Scope], int]
    """Read from the settings when asked."""

    async def ask(self, scope: Scope) -> Question:
        current = scope.data.get(self.name)
        buttons = [
            ((CURRENT_MARK if option.value == current else "") + option.label, option.value)
            for option in self._options(scope)
        ]
        return question(scope, await self.prompt_text(scope), rows(buttons, 2))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        try:
            day = self._date(scope, reply)
        except InputError as error:
            return Hint(error.key, error.params)
        scope.data[self.name] = day.isoformat()
        return await follow(scope, self.then)

    def _options(self, scope: Scope) -> list[Option]:
        today = scope.turn.now.date()
        language = scope.texts.language
        return [
            Option(day.isoformat(), label(scope.texts, key, date=format_date_short(day, language)))
            for days, key in OFFSETS
            if days <= self.max_days_ahead(scope)
            for day in [today + timedelta(days=days)]
        ]

    def _date(self, scope: Scope, reply: Reply) -> date:
        """The pressed or typed date (`besok` as well as `17-11-2026`), checked against today."""
        today, limit = scope.turn.now.date(), self.max_days_ahead(scope)
        if reply.kind is InputKind.BUTTON:
            try:
                day = date.fromisoformat(reply.value or "")
            except ValueError:
                raise InputError("input-date-invalid") from None
            return parse_date(day.strftime("%d-%m-%Y"), today=today, max_days_ahead=limit)
        if reply.kind is not InputKind.TEXT or not reply.text:
            raise InputError("input-date-invalid")
        options = self._options(scope)
        index = chosen_index(reply, options)
        if index is not None:
            return date.fromisoformat(options[index].value)
        return parse_date(reply.text, today=today, max_days_ahead=limit)
