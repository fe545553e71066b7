"""The monthly report's answers: their names, and what they mean for the scores."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from bot.conversation.engine import Scope
from bot.conversation.ipal import chosen_ipal
from bot.conversation.media import extras_of
from bot.render import month, person, when
from domain.money import format_rupiah
from domain.scoring import ReportFacts, score_report
from domain.severity import report_severity
from domain.vocabulary import Condition, ProblemKind, Severity
from models.areas import Ipal
from models.reports import MonthlyReport, ReportDraft

PERIOD = "period"
PERIODS = "periods"
REPLACES = "replaces"


class Step(enum.StrEnum):
    PERIOD = PERIOD
    REPLACE = "replace"
    CONDITION = "condition"
    PROBLEMS = "problems"
    CONNECTIONS = "connections"
    PAYING = "paying"
    FEE = "fee"
    OPERATOR = "operator"
    BOARD = "board"
    BOOKS = "books"
    PHOTO = "photo"
    LOCATION = "location"
    NOTE = "note"
    CONFLICT = "conflict"

    @classmethod
    def editable(cls) -> list[Step]:
        """The answers *Ubah* may go back to, in the order they are asked."""
        return [step for step in cls if step not in {cls.PERIOD, cls.REPLACE, cls.CONFLICT}]


def period_of(data: dict[str, Any]) -> date:
    return date.fromisoformat(data[PERIOD])


def facts_of(data: dict[str, Any], ipal: Ipal | None) -> ReportFacts:
    return ReportFacts(
        condition=Condition(data[Step.CONDITION]),
        problems=frozenset(ProblemKind(kind) for kind in data[Step.PROBLEMS]),
        active_connections=data[Step.CONNECTIONS],
        planned_connections=ipal.house_connections if ipal else None,
        paying_households=data[Step.PAYING],
        fee_collected=data[Step.FEE],
        operator_active=data[Step.OPERATOR],
        board_met=data[Step.BOARD],
        books_up_to_date=data[Step.BOOKS],
    )


def scores_of(facts: ReportFacts) -> dict[str, str]:
    return {aspect.value: light.value for aspect, light in score_report(facts).items()}


def severity_of(facts: ReportFacts) -> Severity:
    return report_severity(facts.condition, facts.problems)


def draft_of(data: dict[str, Any], ipal: Ipal, reporter_id: int) -> ReportDraft:
    facts = facts_of(data, ipal)
    return ReportDraft(
        ipal_id=ipal.id,
        period=period_of(data),
        reporter_id=reporter_id,
        condition=facts.condition.value,
        problems=sorted(kind.value for kind in facts.problems),
        active_connections=facts.active_connections,
        paying_households=facts.paying_households,
        fee_collected=facts.fee_collected,
        operator_active=facts.operator_active,
        board_met=facts.board_met,
        books_up_to_date=facts.books_up_to_date,
        severity=severity_of(facts).value,
        scores=scores_of(facts),
        extras=extras_of(data),
    )


async def report_params(scope: Scope) -> dict[str, object]:
    """Placeholders of the report's questions: the IPAL, the month and the answers so far."""
    ipal = await chosen_ipal(scope)
    data = scope.data
    fee = data.get(Step.FEE)
    return {
        "ipal": ipal.name if ipal else "",
        "month": month(scope.texts, period_of(data)) if data.get(PERIOD) else "",
        "connections": data.get(Step.CONNECTIONS, ""),
        "paying": data.get(Step.PAYING, ""),
        "fee": format_rupiah(fee, scope.texts.language) if isinstance(fee, int) else "",
    }


async def existing_params(scope: Scope) -> dict[str, object]:
    """Placeholders about the report in force that this one would replace."""
    report = None
    if scope.data.get(REPLACES):
        report = await scope.turn.session.get(MonthlyReport, scope.data[REPLACES])
    params = await report_params(scope)
    if report is None:
        return {**params, "number": "", "who": "", "at": ""}
    return {
        **params,
        "number": report.id,
        "who": person(report.reporter),
        "at": when(scope.texts, report.submitted_at),
    }
