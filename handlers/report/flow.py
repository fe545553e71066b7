"""Monthly report (`/lapor`): the four sustainability aspects, one short step each.

    [ipal] → [period] → [replace] → condition → problems → connections → paying → [fee]
      → operator → board → books → photo → location → note → summary ⇄ edit
    summary → *Kirim* → (another report got in first) conflict → stored or kept

A report is for the current month (WIB); in the first days of a month the previous month is
offered when it has no report yet. One report per IPAL and month is in force: a second one
replaces the first only when the member says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.conversation.base import EDIT, SUMMARY, finish, or_summary
from bot.conversation.engine import Flow, Scope
from bot.conversation.ipal import IPAL, IPAL_ID, IpalStep
from bot.conversation.media import LocationStep, NoteStep, PhotoStep
from bot.conversation.steps import (
    ChoiceStep,
    MoneyStep,
    MultiChoiceStep,
    NumberStep,
    Option,
    YesNoStep,
    vocabulary,
)
from bot.conversation.summary import EditStep, SummaryStep
from bot.render import month
from bot.turn import Turn
from domain.access import Deed
from domain.dates import month_start, previous_month
from domain.periods import candidate_periods
from domain.vocabulary import Condition, ProblemKind
from handlers.report.answers import (
    PERIOD,
    PERIODS,
    REPLACES,
    Step,
    existing_params,
    period_of,
    report_params,
)
from handlers.report.submit import render, submit
from models.areas import Ipal, load_ipal
from models.reports import current_report, latest_report

NAME = "report"
VERSION = 1
MAX_CONNECTIONS = 5000


async def entry(turn: Turn, ipal: Ipal, data: dict[str, Any]) -> str:
    """Ask the month when it is in doubt, then whether to replace a report already in."""
    today = turn.now.date()
    previous = previous_month(month_start(today))
    has_previous = await current_report(turn.session, ipal_id=ipal.id, period=previous) is not None
    periods = candidate_periods(
        today=today,
        grace_days=turn.runtime.settings.reports.grace_days,
        has_report_for_previous=has_previous,
    )
    if len(periods) > 1:
        data[PERIODS] = [period.isoformat() for period in periods]
        return Step.PERIOD
    data[PERIOD] = periods[0].isoformat()
    return await after_period_of(turn, data)


async def after_period_of(turn: Turn, data: dict[str, Any]) -> str:
    existing = await current_report(turn.session, ipal_id=data[IPAL_ID], period=period_of(data))
    data[REPLACES] = existing.id if existing else None
    return Step.REPLACE if existing else Step.CONDITION


async def after_period(scope: Scope) -> str:
    return await after_period_of(scope.turn, scope.data)


async def period_options(scope: Scope) -> list[Option]:
    return [Option(iso, month(scope.texts, date.fromisoformat(iso))) for iso in scope.data[PERIODS]]


async def after_replace(scope: Scope) -> str:
    if scope.data.get(Step.REPLACE):
        return Step.CONDITION
    return await finish(scope, scope.texts("report-kept"))


async def after_conflict(scope: Scope) -> str:
    if scope.data.get(Step.CONFLICT):
        return await submit(scope)
    return await finish(scope, scope.texts("report-kept"))


async def after_connections(scope: Scope) -> str:
    paying = scope.data.get(Step.PAYING)
    if isinstance(paying, int) and paying > scope.data[Step.CONNECTIONS]:
        return Step.PAYING
    return or_summary(scope, Step.PAYING)


async def after_paying(scope: Scope) -> str:
    if scope.data[Step.PAYING] == 0:
        scope.data[Step.FEE] = 0
        return or_summary(scope, Step.OPERATOR)
    return or_summary(scope, Step.FEE) if scope.data.get(Step.FEE) else Step.FEE


async def last_connections(scope: Scope) -> int | None:
    """The last figure known: the latest report's, else the registry's."""
    latest = await latest_report(scope.turn.session, ipal_id=scope.data[IPAL_ID])
    if latest is not None:
        return latest.active_connections
    ipal = await load_ipal(scope.turn.session, ipal_id=scope.data[IPAL_ID])
    return ipal.house_connections if ipal else None


def edit_fields(scope: Scope) -> list[tuple[str, str]]:
    skip = {Step.FEE} if scope.data.get(Step.PAYING) == 0 else set()
    return [(str(step), f"field-{step}") for step in Step.editable() if step not in skip]


def _yes_no(step: Step, then: str) -> YesNoStep:
    return YesNoStep(name=step, prompt=f"report-ask-{step}", then=then)


REPORT = Flow(
    name=NAME,
    version=VERSION,
    first=IPAL,
    steps={
        IPAL: IpalStep(entry=entry, deed=Deed.REPORT),
        Step.PERIOD: ChoiceStep(
            name=PERIOD,
            prompt="report-ask-period",
            params=report_params,
            options=period_options,
            then=after_period,
        ),
        Step.REPLACE: YesNoStep(
            name=Step.REPLACE,
            prompt="report-ask-replace",
            params=existing_params,
            then=after_replace,
        ),
        Step.CONDITION: ChoiceStep(
            name=Step.CONDITION,
            prompt="report-ask-condition",
            params=report_params,
            options=vocabulary(Condition, "condition-"),
            per_row=1,
            then=Step.PROBLEMS,
        ),
        Step.PROBLEMS: MultiChoiceStep(
            name=Step.PROBLEMS,
            prompt="report-ask-problems",
            options=vocabulary(ProblemKind, "problem-kind-"),
            then=Step.CONNECTIONS,
        ),
        Step.CONNECTIONS: NumberStep(
            name=Step.CONNECTIONS,
            prompt="report-ask-connections",
            maximum=MAX_CONNECTIONS,
            suggest=last_connections,
            then=after_connections,
        ),
        Step.PAYING: NumberStep(
            name=Step.PAYING,
            prompt="report-ask-paying",
            params=report_params,
            maximum=lambda scope: int(scope.data[Step.CONNECTIONS]),
            then=after_paying,
        ),
        Step.FEE: MoneyStep(
            name=Step.FEE, prompt="report-ask-fee", params=report_params, then=Step.OPERATOR
        ),
        Step.OPERATOR: _yes_no(Step.OPERATOR, Step.BOARD),
        Step.BOARD: _yes_no(Step.BOARD, Step.BOOKS),
        Step.BOOKS: _yes_no(Step.BOOKS, Step.PHOTO),
        Step.PHOTO: PhotoStep(name=Step.PHOTO, prompt="report-ask-photo", then=Step.LOCATION),
        Step.LOCATION: LocationStep(
            name=Step.LOCATION, prompt="report-ask-location", then=Step.NOTE
        ),
        Step.NOTE: NoteStep(name=Step.NOTE, prompt="report-ask-note", then=SUMMARY),
        SUMMARY: SummaryStep(render=render, submit=submit),
        EDIT: EditStep(fields=edit_fields),
        Step.CONFLICT: YesNoStep(
            name=Step.CONFLICT,
            prompt="report-ask-conflict",
            params=existing_params,
            then=after_conflict,
        ),
    },
)
