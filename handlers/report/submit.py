"""The monthly report's summary (with its scores) and what *Kirim* does."""

from __future__ import annotations

from bot.alerts import AlertFacts, alert_about
from bot.conversation.base import finish, user_of
from bot.conversation.engine import END, Scope
from bot.conversation.ipal import chosen_ipal
from bot.conversation.media import extras_lines
from bot.follow_up import ProblemRef
from bot.render import alerted, joined, line, month, place, problem_list, scores_text, yes_no
from bot.texts import EMPTY, Html, Texts, join
from domain.money import format_rupiah
from domain.routing import Event
from domain.severity import suggests_desludging
from domain.vocabulary import Severity
from handlers.desludging import flow as desludging
from handlers.report.answers import REPLACES, Step, draft_of, facts_of, period_of, scores_of
from models.areas import Ipal
from models.problems import open_problems_from_report
from models.reports import MonthlyReport, current_report, latest_report, record_report


async def render(scope: Scope) -> Html:
    """Every answer, then the traffic lights and how they moved since the previous report."""
    texts, data = scope.texts, scope.data
    ipal = await chosen_ipal(scope)
    facts = facts_of(data, ipal)
    lines = [
        texts("report-summary-title", month=month(texts, period_of(data))),
        place(texts, ipal) if ipal else EMPTY,
        line(texts, "field-condition", texts(f"condition-{facts.condition}")),
        line(texts, "field-problems", problem_list(texts, data[Step.PROBLEMS])),
        line(texts, "field-connections", facts.active_connections),
        line(texts, "field-paying", facts.paying_households),
        line(texts, "field-fee", format_rupiah(facts.fee_collected, texts.language)),
        line(texts, "field-operator", yes_no(texts, facts.operator_active)),
        line(texts, "field-board", yes_no(texts, facts.board_met)),
        line(texts, "field-books", yes_no(texts, facts.books_up_to_date)),
        *extras_lines(texts, data),
        EMPTY,
        await scores_block(scope, ipal, scores_of(facts)),
        EMPTY,
        texts("summary-check"),
    ]
    return join(lines)


async def scores_block(scope: Scope, ipal: Ipal | None, scores: dict[str, str]) -> Html:
    """The lights compared with the IPAL's report before this month, if it has one."""
    previous = None
    if ipal is not None:
        previous = await latest_report(
            scope.turn.session, ipal_id=ipal.id, before=period_of(scope.data)
        )
    return scores_text(scope.texts, scores, previous)


async def submit(scope: Scope) -> str:
    """Store the report; if another got in for the month meanwhile, ask before replacing it."""
    ipal, user = await chosen_ipal(scope), user_of(scope)
    if ipal is None:
        return await finish(scope, scope.texts("ipal-not-yours"))
    session, texts = scope.turn.session, scope.texts
    report = await record_report(
        session,
        draft=draft_of(scope.data, ipal, user.id),
        replaces_id=scope.data.get(REPLACES),
        now=scope.turn.now,
    )
    if report is None:
        winner = await current_report(session, ipal_id=ipal.id, period=period_of(scope.data))
        scope.data[REPLACES] = winner.id if winner else None
        return Step.CONFLICT
    problems = await open_problems_from_report(session, report=report, now=scope.turn.now)
    count = await alert_about(
        scope.turn, report_facts(report, tuple(ProblemRef.of(problem) for problem in problems))
    )
    confirmation = [texts("report-sent", number=report.id, month=month(texts, report.period))]
    if scope.data.get(REPLACES):
        confirmation.append(texts("report-replaced", number=scope.data[REPLACES]))
    await finish(scope, joined(*confirmation, *alerted(texts, count)))
    if suggests_desludging(frozenset(facts_of(scope.data, ipal).problems)):
        return await desludging.offer(scope, ipal)
    return END


def report_facts(report: MonthlyReport, problems: tuple[ProblemRef, ...] = ()) -> AlertFacts:
    """The alert about a monthly report, with the problems it opened or matched."""

    def what(texts: Texts) -> Html:
        return texts(
            "alert-what-report",
            month=month(texts, report.period),
            condition=texts(f"condition-{report.condition}"),
            problems=problem_list(texts, report.problems),
        )

    return AlertFacts(
        event=Event.REPORT,
        number=report.id,
        ipal=report.ipal,
        severity=Severity(report.severity),
        reporter=report.reporter,
        at=report.submitted_at,
        what=what,
        note=report.note,
        photo_file_id=report.photo_file_id,
        problems=problems,
    )
