"""The summary of an area as text, from the figures of `domain.summary`."""

from __future__ import annotations

from bot.render import month
from bot.texts import Html, Texts, join
from bot.turn import Turn
from domain.summary import Summary, summarize, summary_months
from domain.vocabulary import Aspect, Light
from handlers.rekap.area import Asked
from models.summaries import (
    desludging_facts,
    ipal_facts,
    open_problem_facts,
    operator_ratings,
    report_facts,
)


async def read_summary(turn: Turn, asked: Asked) -> Summary:
    """The area's figures as of today, read in this turn's session."""
    session, scope, today = turn.session, asked.scope, turn.now.date()
    interval = turn.runtime.settings.reports.desludging_interval_months
    since = summary_months(today)[0]
    return summarize(
        today=today,
        ipals=await ipal_facts(session, scope=scope, default_interval=interval),
        reports=await report_facts(session, scope=scope, since=since),
        open_problems=await open_problem_facts(session, scope=scope),
        desludgings=await desludging_facts(session, scope=scope, since=since),
        ratings=await operator_ratings(session, scope=scope, since=since),
    )


def summary_text(texts: Texts, asked: Asked, summary: Summary) -> Html:
    """Title, this month's states, compliance per month, open problems, desludging, scores
    and ratings, each a short block."""
    first, last = summary.months[0], summary.months[-1]
    return join(
        [
            texts(
                "rekap-title",
                area=asked.name,
                first=month(texts, first),
                last=month(texts, last),
                count=summary.ipals,
            ),
            texts("rekap-states", month=month(texts, last), **summary.states),
            join(
                [
                    texts("rekap-compliance-title"),
                    *(
                        texts(
                            "rekap-compliance",
                            month=month(texts, c.period),
                            reported=c.reported,
                            total=c.total,
                            percent=c.percent,
                        )
                        for c in summary.compliance
                    ),
                ]
            ),
            texts("rekap-problems", **summary.problem_ages),
            texts("rekap-desludging", done=summary.desludged, overdue=summary.lltt_overdue),
            lights_part(texts, summary),
            ratings_part(texts, summary),
        ],
        "\n\n",
    )


def lights_part(texts: Texts, summary: Summary) -> Html:
    lines = [texts("rekap-lights-title")]
    for aspect in Aspect:
        counts = summary.lights[aspect]
        lines.append(
            texts(
                "rekap-lights",
                aspect=texts(f"aspect-{aspect}"),
                green=counts[Light.GREEN],
                yellow=counts[Light.YELLOW],
                red=counts[Light.RED],
            )
        )
    return join(lines)


def ratings_part(texts: Texts, summary: Summary) -> Html:
    """Ratings per operator, or that there are none yet."""
    if not summary.ratings:
        return join([texts("rekap-ratings-title"), texts("rekap-ratings-none")])
    lines = [texts("rekap-ratings-title")]
    for rating in summary.ratings:
        lines.append(
            texts(
                "rekap-rating",
                operator=operator_name(texts, rating.operator),
                average=f"{rating.average:.1f}",
                count=rating.count,
            )
        )
    return join(lines)


def operator_name(texts: Texts, operator: str) -> str:
    """The team's name, or that the operator named none."""
    return operator or texts.plain("rekap-operator-unnamed")
