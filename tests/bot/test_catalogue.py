"""The text catalogues: both languages alike, and every key the code uses present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.texts import LANGUAGES, catalogue, placeholders
from domain.routing import Event
from domain.vocabulary import (
    Aspect,
    Condition,
    DesludgingReason,
    Light,
    ProblemKind,
    Role,
    Severity,
    Trend,
    Urgency,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "handlers", "domain", "models", "scheduler")
KEY_SHAPE = re.compile(r"""["']([a-z]+(?:-[a-z0-9_]+)+)["']""")
REPORT_FIELDS = (
    "condition",
    "problems",
    "connections",
    "paying",
    "fee",
    "operator",
    "board",
    "books",
    "photo",
    "location",
    "note",
    "kind",
    "urgency",
    "reason",
    "date",
)
COMPOSED_KEYS = {
    *(f"role-{role}" for role in Role),
    *(f"condition-{value}" for value in Condition),
    *(f"problem-kind-{value}" for value in ProblemKind),
    *(f"urgency-{value}" for value in Urgency),
    *(f"desludging-reason-{value}" for value in DesludgingReason),
    *(f"aspect-{value}" for value in Aspect),
    *(f"light-{value}" for value in Light),
    *(f"trend-{value}" for value in Trend if value is not Trend.NEW),
    *(f"alert-heading-{value}" for value in Severity),
    *(f"alert-subject-{value}" for value in Event),
    *(f"field-{name}" for name in REPORT_FIELDS),
    *(f"report-ask-{name}" for name in ("operator", "board", "books")),
    *(f"problem-state-{state}" for state in ("open", "acknowledged", "resolved")),
    *(f"request-state-{state}" for state in ("requested", "scheduled", "done", "rejected")),
}
"""Keys the code builds from a prefix and a value (`f"problem-kind-{kind}"`)."""


def used_keys() -> set[str]:
    """Every string literal in the code shaped like a text key whose prefix the catalogue knows."""
    prefixes = {key.split("-")[0] for key in catalogue("id")}
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            if "simulator" in path.parts or "migrations" in path.parts:
                continue
            for key in KEY_SHAPE.findall(path.read_text(encoding="utf-8")):
                if key.split("-")[0] in prefixes and not key.endswith("-"):
                    found.add(key)
    return found


def test_both_languages_have_the_same_keys() -> None:
    """Indonesian and English catalogues name exactly the same texts."""
    indonesian, english = catalogue("id"), catalogue("en")
    assert sorted(indonesian.keys() - english.keys()) == []
    assert sorted(english.keys() - indonesian.keys()) == []


@pytest.mark.parametrize("key", sorted(catalogue("id")))
def test_both_languages_have_the_same_placeholders(key: str) -> None:
    """A text takes the same values in both languages."""
    assert placeholders(catalogue("id")[key]) == placeholders(catalogue("en")[key])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_used_in_the_code_exists(language: str) -> None:
    """Keys written out in the code and keys composed from vocabulary values all exist."""
    missing = sorted((used_keys() | COMPOSED_KEYS) - catalogue(language).keys())
    assert missing == []


def test_plural_texts_have_an_other_form() -> None:
    """A text with plural forms always has `other`, the form every language falls back to."""
    for language in LANGUAGES:
        for key, entry in catalogue(language).items():
            if isinstance(entry, dict):
                assert "other" in entry, f"{language}: {key}"
