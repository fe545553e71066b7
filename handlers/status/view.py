"""The status of an IPAL (`/status`): reports, open problems, desludging and the LLTT date."""

from __future__ import annotations

from datetime import date

from bot.render import day, month, person, place, scores_text, when
from bot.texts import Html, Texts, join
from bot.turn import Turn
from domain.dates import month_start
from domain.lltt import next_lltt_due, overdue_days
from models.areas import Ipal
from models.desludging import DesludgingRequest, open_request
from models.problems import ProblemReport, open_problems
from models.reports import MonthlyReport, current_report, latest_report

MAX_PROBLEMS_LISTED = 10


async def status_text(turn: Turn, ipal: Ipal) -> Html:
    """Everything a member wants to know about their IPAL, in one message."""
    session, texts, today = turn.session, turn.texts, turn.now.date()
    latest = await latest_report(session, ipal_id=ipal.id)
    this_month = await current_report(session, ipal_id=ipal.id, period=month_start(today))
    parts = [
        texts("status-title", place=place(texts, ipal)),
        await reports_part(turn, ipal, latest, this_month is not None),
        problems_part(texts, await open_problems(session, ipal_id=ipal.id)),
        desludging_part(turn, ipal, await open_request(session, ipal_id=ipal.id), today),
    ]
    return join(parts, "\n\n")


async def reports_part(
    turn: Turn, ipal: Ipal, latest: MonthlyReport | None, this_month_in: bool
) -> Html:
    texts = turn.texts
    this_month = month(texts, month_start(turn.now.date()))
    lines = [texts("status-reports-title")]
    lines.append(
        texts(
            "status-this-month-in" if this_month_in else "status-this-month-missing",
            month=this_month,
        )
    )
    if latest is None:
        lines.append(texts("status-no-report"))
        return join(lines)
    lines.append(
        texts(
            "status-latest-report",
            month=month(texts, latest.period),
            number=latest.id,
            who=person(latest.reporter),
            at=when(texts, latest.submitted_at),
            condition=texts(f"condition-{latest.condition}"),
        )
    )
    previous = await latest_report(turn.session, ipal_id=ipal.id, before=latest.period)
    lines.append(scores_text(texts, latest.scores, previous))
    return join(lines)


def problems_part(texts: Texts, problems: list[ProblemReport]) -> Html:
    lines = [texts("status-problems-title")]
    if not problems:
        lines.append(texts("status-no-problems"))
    for problem in problems[:MAX_PROBLEMS_LISTED]:
        lines.append(
            texts(
                "status-problem",
                number=problem.id,
                kind=texts(f"problem-kind-{problem.kind}"),
                state=texts(f"problem-state-{problem.state}"),
                who=person(problem.reporter),
                at=when(texts, problem.reported_at),
            )
        )
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(texts("status-more-problems", count=len(problems) - MAX_PROBLEMS_LISTED))
    return join(lines)


def desludging_part(turn: Turn, ipal: Ipal, request: DesludgingRequest | None, today: date) -> Html:
    texts = turn.texts
    lines = [texts("status-desludging-title")]
    if request is None:
        lines.append(texts("status-no-request"))
    else:
        lines.append(
            texts(
                "status-request",
                number=request.id,
                reason=texts(f"desludging-reason-{request.reason}"),
                state=texts(f"request-state-{request.state}"),
                date=day(texts, request.preferred_date),
            )
        )
    last = ipal.last_desludged_on
    lines.append(
        texts("status-last-desludged", date=day(texts, last))
        if last
        else texts("status-never-desludged")
    )
    lines.append(lltt_line(turn, ipal, today))
    return join(lines)


def lltt_line(turn: Turn, ipal: Ipal, today: date) -> Html:
    texts = turn.texts
    interval = (
        ipal.desludging_interval_months or turn.runtime.settings.reports.desludging_interval_months
    )
    due = next_lltt_due(
        last_desludged_on=ipal.last_desludged_on,
        built_year=ipal.built_year,
        interval_months=interval,
    )
    if due is None:
        return texts("status-lltt-unknown")
    late = overdue_days(due, today)
    if late > 0:
        return texts("status-lltt-overdue", date=day(texts, due), count=late)
    return texts("status-lltt-due", date=day(texts, due))
