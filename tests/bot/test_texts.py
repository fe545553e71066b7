"""Safe HTML is made only by rendering catalogue texts, escaping, or joining safe texts."""

from __future__ import annotations

import ast
import copy
import pickle
from pathlib import Path

import pytest

from bot.texts import EMPTY, Html, Texts, escape, join

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "handlers", "domain", "models", "scheduler")


def test_raw_text_cannot_be_marked_safe() -> None:
    """`Html("<b>…")` is refused (by mypy and at run time), and so is a forged seal."""
    with pytest.raises(TypeError, match="seal"):
        Html("<b>Pak</b>")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="never a str"):
        Html("<b>Pak</b>", seal=object())  # type: ignore[arg-type]


def test_escape_makes_safe_html_and_keeps_safe_html() -> None:
    """User text is escaped into `Html`; an `Html` is not escaped twice."""
    escaped = escape("<b>Sri & Tono</b>")
    assert isinstance(escaped, Html)
    assert escaped == "&lt;b&gt;Sri &amp; Tono&lt;/b&gt;"
    assert escape(escaped) is escaped


def test_rendered_texts_escape_what_users_typed() -> None:
    """A catalogue text keeps its own markup and escapes the values put into it."""
    texts = Texts("id")
    rendered = texts("summary-line", name=texts("field-note"), value="<i>bocor</i> & bau")
    assert isinstance(rendered, Html)
    assert "&lt;i&gt;bocor&lt;/i&gt; &amp; bau" in rendered
    assert "<i>" not in rendered


def test_join_keeps_safe_parts_and_escapes_the_rest() -> None:
    """Joining safe texts gives safe text; a raw string slipped in is escaped, not trusted."""
    texts = Texts("en")
    lines: list[object] = [texts("summary-check"), EMPTY, "<b>raw</b>"]
    joined = join(lines)  # type: ignore[arg-type]
    assert isinstance(joined, Html)
    assert joined == f"{texts('summary-check')}\n\n&lt;b&gt;raw&lt;/b&gt;"
    assert join([escape("a"), escape("b")], ", ") == "a, b"


def test_safe_html_survives_copying() -> None:
    """A copied or pickled `Html` stays `Html` with the same text."""
    safe = escape("<x>")
    for again in (copy.deepcopy(safe), pickle.loads(pickle.dumps(safe))):  # noqa: S301
        assert isinstance(again, Html)
        assert again == safe


def html_calls(path: Path) -> list[int]:
    """Lines of `path` that call `Html(...)` directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Html"
    ]


def test_only_the_catalogue_module_constructs_html() -> None:
    """No module but `bot/texts.py` builds `Html` itself; the rest render, escape or join."""
    found = {
        str(path.relative_to(ROOT)): lines
        for folder in SOURCES
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT) != Path("bot/texts.py") and (lines := html_calls(path))
    }
    assert found == {}
