"""Telegram's HTML parse mode: text, entities in UTF-16 units, and refusals."""

from __future__ import annotations

import pytest

from telesim.errors import ApiError
from telesim.html import parse_html, utf16_len


def test_entities_are_measured_in_utf16_units() -> None:
    """An emoji outside the BMP counts twice, before and inside an entity."""
    parsed = parse_html("💩 <b>tebal 💩</b> &amp; <i>miring</i>")
    assert parsed.text == "💩 tebal 💩 & miring"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "italic", "offset": 14, "length": 6},
    ]
    assert utf16_len(parsed.text) == 20


def test_nested_entities_come_outer_first() -> None:
    parsed = parse_html("<b>a <i>b</i></b>")
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "italic", "offset": 2, "length": 1},
    ]


def test_every_supported_tag_maps_to_its_entity() -> None:
    source = (
        "<strong>1</strong><em>2</em><u>3</u><ins>4</ins><s>5</s><strike>6</strike><del>7</del>"
        '<span class="tg-spoiler">8</span><tg-spoiler>9</tg-spoiler>'
        '<a href="https://example.org/?a=1&amp;b=2">a</a><code>c</code>'
        '<pre><code class="language-python">p</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>r</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    entities = parse_html(source).entities
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    assert entities[9]["url"] == "https://example.org/?a=1&b=2"
    assert entities[11]["language"] == "python"
    assert entities[14]["custom_emoji_id"] == "5368324170671202286"


def test_numeric_and_named_entities_are_decoded() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;&#65;&#x42;").text == '<>&"AB'


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("1 > 0", 'Character ">" must be escaped at byte offset 2'),
        ("&nbsp;", 'Character "&" must be escaped as "&amp;" at byte offset 0'),
    ],
)
def test_malformed_html_is_refused(source: str, detail: str) -> None:
    with pytest.raises(ApiError) as raised:
        parse_html(source)
    assert raised.value.status == 400
    assert raised.value.description == f"Bad Request: can't parse entities: {detail}"


def test_lenient_mode_accepts_a_bare_ampersand_and_gt_as_telegram_does() -> None:
    assert parse_html("A & B > C", strict=False).text == "A & B > C"
