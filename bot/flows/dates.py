"""A date step: buttons for the next days and weeks, or a date typed as `DD-MM-YYYY`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.conversation import Hint, InputKind, Question, Reply, Scope
from bot.flows.base import Field, follow, label
from bot.flows.steps import CURRENT_MARK, rows
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
        today = scope.turn.now.date()
        current = scope.data.get(self.name)
        buttons = []
        for days, key in OFFSETS:
            day = today + timedelta(days=days)
            if days > self.max_days_ahead(scope):
                continue
            text = label(scope.texts, key, date=format_date_short(day, scope.texts.language))
            mark = CURRENT_MARK if day.isoformat() == current else ""
            buttons.append((mark + text, day.isoformat()))
        return Question(await self.prompt_text(scope), rows(buttons, 2))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        today = scope.turn.now.date()
        try:
            day = self._date(reply, today, self.max_days_ahead(scope))
        except InputError as error:
            return Hint(error.key, error.params)
        scope.data[self.name] = day.isoformat()
        return await follow(scope, self.then)

    @staticmethod
    def _date(reply: Reply, today: date, max_days_ahead: int) -> date:
        if reply.kind is InputKind.BUTTON and reply.value:
            try:
                day = date.fromisoformat(reply.value)
            except ValueError:
                raise InputError("input-date-invalid") from None
            if day < today:
                raise InputError("input-date-past")
            if (day - today).days > max_days_ahead:
                raise InputError("input-date-too-far", {"days": max_days_ahead})
            return day
        if reply.kind is InputKind.TEXT and reply.text:
            return parse_date(reply.text, today=today, max_days_ahead=max_days_ahead)
        raise InputError("input-date-invalid")
