"""The summary chart: wide enough, every text readable on a phone, labels in the language."""

from __future__ import annotations

import struct
import subprocess
import sys
from datetime import date

from matplotlib.text import Text

from bot.charts import DPI, MIN_TEXT_PX, PHOTO_LIMIT, WIDTH_PX, draw_summary, summary_figure
from bot.texts import Texts
from domain.summary import IpalFacts, OperatorRating, ReportFacts, Summary, summarize

GREEN = dict.fromkeys(("technical", "financial", "institutional", "governance"), "green")


def summary_of_two() -> Summary:
    return summarize(
        today=date(2026, 11, 16),
        ipals=[IpalFacts(1, 2020, None, 24), IpalFacts(2, 2020, None, 24)],
        reports=[ReportFacts(1, date(2026, 11, 1), "good", GREEN)],
        open_problems=[],
    )


def test_the_png_is_1080_px_wide_and_within_the_photo_limit() -> None:
    png = draw_summary(summary_of_two(), Texts("id"), title="Rekap Kalurahan Triharjo")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, _ = struct.unpack(">II", png[16:24])
    assert width >= WIDTH_PX >= 1080
    assert len(png) < PHOTO_LIMIT


def test_no_text_is_smaller_than_28_px_and_labels_follow_the_language() -> None:
    """Every visible text of the figure, ticks and bar labels included."""
    figure = summary_figure(summary_of_two(), Texts("en"), title="Summary of Wates")
    figure.canvas.draw()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    assert texts
    smallest = min(float(t.get_fontsize()) * DPI / 72 for t in texts)
    assert smallest >= MIN_TEXT_PX
    words = {t.get_text() for t in texts}
    assert {"Working", "No report yet", "Technical", "Open problems by age"} <= words


def test_starting_the_bot_imports_neither_matplotlib_nor_xlsxwriter() -> None:
    """Composing the bot (as `sanimas run` does) leaves both for the first chart or export."""
    code = (
        "import sys\nimport bot.app, bot.cli.main\n"
        "print(sorted(m for m in ('matplotlib', 'xlsxwriter') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_the_operators_ratings_are_drawn_with_their_counts() -> None:
    """Each operator's bar is labelled with its average and its number of ratings; a team
    that named no one shows as such."""
    summary = summarize(
        today=date(2026, 11, 16),
        ipals=[IpalFacts(1, 2020, None, 24)],
        reports=[],
        open_problems=[],
        ratings=[OperatorRating("UPT Wates", 2, 4.5), OperatorRating("", 1, 3.0)],
    )
    figure = summary_figure(summary, Texts("en"), title="Summary of Wates")
    figure.canvas.draw()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    words = {t.get_text() for t in texts}
    assert {"UPT Wates", "(no team named)", "4.5 (2)", "3.0 (1)"} <= words
    assert min(float(t.get_fontsize()) * DPI / 72 for t in texts) >= MIN_TEXT_PX


def test_no_ratings_are_said_in_the_chart() -> None:
    figure = summary_figure(summary_of_two(), Texts("id"), title="Rekap")
    figure.canvas.draw()
    words = {t.get_text() for t in figure.findobj(Text) if t.get_visible()}
    assert "Belum ada penilaian" in words
