"""The summary's chart (`/rekap`): one PNG readable on a phone, drawn here with matplotlib.

1080 px wide, no text smaller than 28 px (a 360-px screen shows it at a third: about 9 px),
labels in the user's language. matplotlib is imported only when a chart is drawn (start-up of
`sanimas run` stays fast) and draws with the Agg canvas alone: no display, no service. Its font
cache goes to a temporary folder when the home folder cannot take it.
"""

from __future__ import annotations

import io
import os
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from bot.texts import Texts
from domain.dates import format_month
from domain.summary import AGE_BANDS, STATES, Summary
from domain.vocabulary import LIGHT_ORDER, Aspect

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX = 1080
HEIGHT_PX = 2340
DPI = 100
MIN_TEXT_PX = 28
TEXT_PT = 22.0
"""22 pt at 100 dpi is 30.6 px, above the 28-px floor."""
TITLE_PT = 26.0
TITLE_WIDTH = 44
"""Characters of the title per line: a long area name wraps instead of leaving the image."""
PHOTO_LIMIT = 10 * 1024 * 1024

STATE_COLOURS = {
    "good": "#2e7d32",
    "problems": "#f9a825",
    "broken": "#c62828",
    "missing": "#9e9e9e",
}
LIGHT_COLOURS = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32"}
AGE_COLOURS = {"week": "#90caf9", "month": "#1e88e5", "older": "#0d47a1"}


def text_px(points: float) -> float:
    return points * DPI / 72


def _prepare_matplotlib() -> None:
    """Keep matplotlib's cache out of an unwritable home."""
    if "MPLCONFIGDIR" in os.environ:
        return
    home = Path("~/.config/matplotlib").expanduser()
    if not any(folder.is_dir() and os.access(folder, os.W_OK) for folder in (home, home.parent)):
        os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="sanimas-mpl-")


def draw_summary(summary: Summary, texts: Texts, *, title: str) -> bytes:
    """The summary as a PNG: states this month, report compliance, open problems by age, the
    four aspects' lights and the operators' ratings."""
    figure = summary_figure(summary, texts, title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def summary_figure(summary: Summary, texts: Texts, *, title: str) -> Figure:
    """The chart's figure on an Agg canvas (matplotlib imported here, on first use)."""
    _prepare_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(textwrap.fill(title, TITLE_WIDTH), fontsize=TITLE_PT, fontweight="bold")
    states, compliance, ages, lights, ratings = figure.subplots(5, 1)
    _states(states, summary, texts)
    _compliance(compliance, summary, texts)
    _ages(ages, summary, texts)
    _lights(lights, summary, texts)
    _ratings(ratings, summary, texts)
    figure.subplots_adjust(left=0.3, right=0.95, top=0.94, bottom=0.03, hspace=0.6)
    return figure


def _style(axes: Axes, heading: str, *, counts: bool = True) -> None:
    """Heading, tick size, no top or right frame; whole numbers on a count axis."""
    from matplotlib.ticker import MaxNLocator

    if counts:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(heading, fontsize=TEXT_PT, loc="left", fontweight="bold")
    axes.tick_params(labelsize=TEXT_PT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _states(axes: Axes, summary: Summary, texts: Texts) -> None:
    labels = [texts.plain(f"rekap-state-{state}") for state in STATES]
    values = [summary.states[state] for state in STATES]
    bars = axes.barh(labels, values, color=[STATE_COLOURS[s] for s in STATES])
    axes.bar_label(bars, fontsize=TEXT_PT, padding=6)
    axes.invert_yaxis()
    axes.set_xlim(0, max([*values, 1]) * 1.2)
    _style(axes, texts.plain("rekap-chart-states"))


def _compliance(axes: Axes, summary: Summary, texts: Texts) -> None:
    labels = [format_month(c.period, texts.language).split()[0][:3] for c in summary.compliance]
    values = [c.percent for c in summary.compliance]
    bars = axes.bar(labels, values, color="#1e88e5")
    axes.bar_label(bars, labels=[f"{v}%" for v in values], fontsize=TEXT_PT, padding=4)
    axes.set_ylim(0, 125)
    axes.set_yticks([0, 50, 100])
    _style(axes, texts.plain("rekap-chart-compliance"), counts=False)


def _ages(axes: Axes, summary: Summary, texts: Texts) -> None:
    labels = [texts.plain(f"rekap-age-{band}") for band in AGE_BANDS]
    values = [summary.problem_ages[band] for band in AGE_BANDS]
    bars = axes.barh(labels, values, color=[AGE_COLOURS[b] for b in AGE_BANDS])
    axes.bar_label(bars, fontsize=TEXT_PT, padding=6)
    axes.invert_yaxis()
    axes.set_xlim(0, max([*values, 1]) * 1.2)
    _style(axes, texts.plain("rekap-chart-problems"))


def _lights(axes: Axes, summary: Summary, texts: Texts) -> None:
    aspects = list(Aspect)
    labels = [texts.plain(f"aspect-{aspect}") for aspect in aspects]
    left = [0] * len(aspects)
    for light in reversed(LIGHT_ORDER):
        values = [summary.lights[aspect][light] for aspect in aspects]
        bars = axes.barh(labels, values, left=left, color=LIGHT_COLOURS[light])
        axes.bar_label(
            bars,
            labels=[str(v) if v else "" for v in values],
            label_type="center",
            fontsize=TEXT_PT,
            color="white",
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_xlim(0, max([*left, 1]))
    _style(axes, texts.plain("rekap-chart-lights"))


RATINGS_SHOWN = 6
"""The operators with the most ratings that the chart has room for."""
OPERATOR_WIDTH = 16


def _ratings(axes: Axes, summary: Summary, texts: Texts) -> None:
    """Each operator's average stars (of 5), its number of ratings beside the bar."""
    shown = sorted(summary.ratings, key=lambda rating: (-rating.count, rating.operator))
    shown = sorted(shown[:RATINGS_SHOWN], key=lambda rating: rating.operator)
    _style(axes, texts.plain("rekap-chart-ratings"), counts=False)
    axes.set_xlim(0, 6.2)
    axes.set_xticks([1, 2, 3, 4, 5])
    if not shown:
        axes.set_yticks([])
        axes.text(
            3.1, 0.5, texts.plain("rekap-chart-ratings-none"), fontsize=TEXT_PT, ha="center",
            va="center", transform=axes.transData,
        )  # fmt: skip
        axes.set_ylim(0, 1)
        return
    labels = [
        textwrap.shorten(rating.operator or texts.plain("rekap-operator-unnamed"),
                         OPERATOR_WIDTH, placeholder="…")
        for rating in shown
    ]  # fmt: skip
    bars = axes.barh(labels, [rating.average for rating in shown], color="#fbc02d")
    axes.bar_label(
        bars,
        labels=[f"{rating.average:.1f} ({rating.count})" for rating in shown],
        fontsize=TEXT_PT,
        padding=6,
    )
    axes.invert_yaxis()
