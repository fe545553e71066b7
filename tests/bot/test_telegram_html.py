"""Tests for bot.texts.telegram_html: a message's own formatting is kept, any other tag refused."""

from __future__ import annotations

import pytest

from bot.texts import UnsafeHtmlError, telegram_html


@pytest.mark.parametrize(
    "text",
    [
        "Pelatihan <b>Senin</b>, <i>09.00</i> &amp; <u>Wates</u>",
        '<a href="https://t.me/x?a=1&amp;b=2">tautan</a> <s>lama</s>',
        "<tg-spoiler>rahasia</tg-spoiler>",
        '<pre><code class="language-python">x = 1</code></pre> <blockquote>kutipan</blockquote>',
    ],
)
def test_telegram_formatting_is_kept_as_written(text: str) -> None:
    """What python-telegram-bot's `text_html` makes of entities passes unchanged."""
    assert telegram_html(text) == text


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", '<a href="x" onclick="y">z</a>', "<img src=x>"]
)
def test_other_tags_are_refused(text: str) -> None:
    """A tag Telegram's entities never produce is refused, never sealed as safe."""
    with pytest.raises(UnsafeHtmlError):
        telegram_html(text)
