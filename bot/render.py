"""Words and lines that summaries, confirmations, alerts and the status share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from bot.texts import Html, Texts, join
from domain.dates import format_date, format_datetime_wib, format_month
from domain.scoring import compare
from domain.text import cut_utf16
from domain.vocabulary import Aspect, Light, Trend
from models.areas import Ipal
from models.reports import MonthlyReport
from models.users import User

MAX_NAME = 60


def problem_list(texts: Texts, kinds: Iterable[str]) -> Html:
    names = [texts(f"problem-kind-{kind}") for kind in kinds]
    return join(names, ", ") if names else texts("problems-none")


def yes_no(texts: Texts, value: object) -> Html:
    return texts("answer-yes" if value else "answer-no")


def person(user: User) -> str:
    """The name a member is shown by (kept short: it goes into captions too)."""
    return cut_utf16(user.display_name, MAX_NAME)


def when(texts: Texts, moment: datetime) -> str:
    return format_datetime_wib(moment, texts.language)


def day(texts: Texts, value: date) -> str:
    return format_date(value, texts.language)


def month(texts: Texts, period: date) -> str:
    return format_month(period, texts.language)


def place(texts: Texts, ipal: Ipal) -> Html:
    """`IPAL Ngestiharjo Asri (KP-WTS-01), Kalurahan Triharjo, Kapanewon Wates`."""
    return texts(
        "ipal-place",
        name=ipal.name,
        code=ipal.code,
        kalurahan=ipal.kalurahan.name,
        kapanewon=ipal.kapanewon.name,
    )


def score_lines(
    texts: Texts, scores: Mapping[str, str], previous: Mapping[str, str] | None
) -> Html:
    """One line per aspect: its light, its name and how it moved since the previous report."""
    current = {Aspect(aspect): Light(light) for aspect, light in scores.items()}
    before = {Aspect(a): Light(light) for a, light in previous.items()} if previous else None
    trends = compare(current, before)
    lines = [
        texts("score-line-plain", light=texts(f"light-{light}"), aspect=texts(f"aspect-{aspect}"))
        if trends[aspect] is Trend.NEW
        else texts(
            "score-line",
            light=texts(f"light-{light}"),
            aspect=texts(f"aspect-{aspect}"),
            trend=texts(f"trend-{trends[aspect]}"),
        )
        for aspect, light in current.items()
    ]
    return join(lines)


def line(texts: Texts, name_key: str, value: object) -> Html:
    """One summary line: the answer's name (the same as in the *Ubah* list) and its value."""
    return texts("summary-line", name=texts(name_key), value=value)


def scores_text(texts: Texts, scores: dict[str, str], previous: MonthlyReport | None) -> Html:
    heading = (
        texts("score-title-compared", month=month(texts, previous.period))
        if previous is not None
        else texts("score-title-first")
    )
    lines = score_lines(texts, scores, previous.scores if previous is not None else None)
    return join([heading, lines])


def alerted(texts: Texts, count: int) -> list[Html]:
    """The line saying how many officials were alerted (none when nobody was)."""
    return [texts("alerted-count", count=count)] if count else []


def joined(*parts: Html) -> Html:
    """Lines of already rendered texts as one text."""
    return join(parts)
