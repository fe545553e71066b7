"""The text catalogues: both languages alike, and every key the code uses present."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.texts import LANGUAGES, catalogue, placeholders
from domain.joining import CodeProblem
from domain.notices import Standing
from domain.reminders import ReminderKind
from domain.routing import Event
from domain.summary import AGE_BANDS, STATES
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
from models.notices import NoticeStatus
from scheduler.digest import LISTS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "handlers", "domain", "models", "scheduler")
KEY_SHAPE = re.compile(r"[a-z]+(?:-[a-z0-9_]+)+")
PREFIX_SHAPE = re.compile(r"[a-z]+(?:-[a-z0-9_]+)*-")
COMPOSED: dict[str, Iterable[str]] = {
    "role-{}": Role,
    "condition-{}": Condition,
    "problem-kind-{}": ProblemKind,
    "urgency-{}": Urgency,
    "desludging-reason-{}": DesludgingReason,
    "aspect-{}": Aspect,
    "light-{}": Light,
    "trend-{}": [value for value in Trend if value is not Trend.NEW],
    "alert-heading-{}": Severity,
    "alert-subject-{}": Event,
    "problem-state-{}": ("open", "acknowledged", "resolved"),
    "request-state-{}": ("requested", "scheduled", "done", "rejected", "cancelled"),
    "desludging-check-{}": ("no_spillage", "protective_gear", "site_clean"),
    "join-code-{}": CodeProblem,
    "reminders-kind-{}": ReminderKind,
    "export-period-{}": ("month", "quarter", "year"),
    "export-severity-{}": Severity,
    "export-light-{}": Light,
    "rekap-state-{}": STATES,
    "rekap-age-{}": AGE_BANDS,
    "rekap-area-{}": ("kapanewon", "kalurahan"),
    "notice-status-{}": NoticeStatus,
    "rsvp-answer-{}": Standing,
    "rsvp-{}": Standing,
    "follow-up-line-{}": ("open", "acknowledged", "resolved"),
    "follow-up-state-{}": ("open", "acknowledged", "resolved"),
    "follow-up-told-{}": ("acknowledged", "resolved"),
    "export-check-back-{}": ("fixed", "not_fixed"),
    "digest-button-{}": LISTS,
}
"""Every key the code builds from a prefix and a value (`f"problem-kind-{kind}"`, or a prefix
such as `"condition-"` handed to `vocabulary`), with the values it can take."""
NOT_COMPOSED = {"config-{}"}
"""Prefixes the code only compares with (`startswith("config-")`), never builds a key from."""
NOT_KEYS = {ReminderKind.DESLUDGING_TOMORROW.value}
"""Stored values that are shaped like text keys but never used as one."""


@dataclass(frozen=True)
class Source:
    """What the code says about text keys: keys written out, and key templates composed."""

    literals: set[str]
    templates: dict[str, str]
    """Template (`problem-kind-{}`) → where it is first built (`handlers/…py:12`)."""


def template_of(node: ast.JoinedStr) -> str:
    """An f-string with each value replaced by `{}`."""
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


KEY_CALLS = {"texts", "plain", "Hint", "label", "line"}
"""Calls whose first argument (second for `label(texts, key)` and `line(texts, key, value)`)
is always a text key."""


def key_argument(node: ast.Call) -> tuple[ast.expr, bool] | None:
    """The argument of `node` that names a text key, and whether it surely is one (an
    `…Error(…)` message is a key only when it is shaped like one)."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else ""
    if isinstance(func, ast.Attribute) and func.attr in {"texts", "plain"}:
        name = func.attr  # scope.texts("…"), console.texts.plain("…")
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "Texts":
        name = "texts"  # Texts(code)("language-name")
    if name in {"label", "line"} and len(node.args) > 1:
        return node.args[1], True
    if name in KEY_CALLS and node.args:
        return node.args[0], True
    if name.endswith("Error") and node.args:
        return node.args[0], False
    return None


def choices(node: ast.expr) -> list[ast.expr]:
    """The values an argument may take: both sides of `a if c else b` and of `a or b`."""
    if isinstance(node, ast.IfExp):
        return [*choices(node.body), *choices(node.orelse)]
    if isinstance(node, ast.BoolOp):
        return [key for value in node.values for key in choices(value)]
    return [node]


def scan_tree(tree: ast.AST, where: str, found: Source) -> None:
    """Add the keys and key templates of one module to `found`: every argument of a call that
    takes a key, and every other string shaped like a key under a prefix the catalogue knows."""
    prefixes = {key.split("-")[0] for key in catalogue("id")}
    arguments = [key_argument(node) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    surely = {id(key) for arg, sure in filter(None, arguments) if sure for key in choices(arg)}
    shaped = {id(key) for arg, _ in filter(None, arguments) for key in choices(arg)}
    in_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = template_of(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in in_fstrings:
                continue
            text = node.value + "{}" if PREFIX_SHAPE.fullmatch(node.value) else node.value
        else:
            continue
        if id(node) not in shaped and text.split("-")[0] not in prefixes:
            continue
        if KEY_SHAPE.fullmatch(text) or (id(node) in surely and "{}" not in text):
            found.literals.add(text)
        elif id(node) in surely or ("{}" in text and PREFIX_SHAPE.fullmatch(text.split("{}")[0])):
            found.templates.setdefault(text, f"{where}:{node.lineno}")


def scan() -> Source:
    """Every text key (or key template) the code writes: each argument of a call that takes a
    key, and each string elsewhere shaped like a key with a prefix the catalogue knows."""
    found = Source(literals=set(), templates={})
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                tree = ast.parse(path.read_text(encoding="utf-8"))
                scan_tree(tree, str(path.relative_to(ROOT)), found)
    return found


def composed_keys() -> set[str]:
    return {template.format(value) for template, values in COMPOSED.items() for value in values}


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
    used = (scan().literals - NOT_KEYS) | composed_keys()
    missing = sorted(used - catalogue(language).keys())
    assert missing == []


def test_every_composed_key_is_enumerated() -> None:
    """A key the code builds from a value is listed in COMPOSED with the values it takes, so
    the test above sees every key the code can produce."""
    unlisted = {
        template: where
        for template, where in scan().templates.items()
        if template not in COMPOSED.keys() | NOT_COMPOSED
    }
    assert unlisted == {}


def test_the_scan_finds_keys_however_they_are_written() -> None:
    """Keys in calls, in data and in f-strings are all found (the scan itself can fail)."""
    found = scan()
    assert {"menu-report", "command-cancel", "hint-choice", "input-date-invalid"} <= found.literals
    assert {"problem-kind-{}", "condition-{}", "join-code-{}"} <= found.templates.keys()


def test_plural_texts_have_an_other_form() -> None:
    """A text with plural forms always has `other`, the form every language falls back to."""
    for language in LANGUAGES:
        for key, entry in catalogue(language).items():
            if isinstance(entry, dict):
                assert "other" in entry, f"{language}: {key}"


def test_a_missing_key_in_any_form_is_caught() -> None:
    """A key under a prefix the catalogue has never seen, in a call or an f-string, is found
    (and then reported missing or unlisted)."""
    found = Source(literals=set(), templates={})
    code = (
        "texts('brandnew-title')\nHint(f'brandnew-kind-{kind}')\nNewError('brandnew-bad')\n"
        "texts('brandnew' if ok else 'brandold')\n"
    )
    scan_tree(ast.parse(code), "example.py", found)
    missing = found.literals - catalogue("id").keys()
    assert {"brandnew-title", "brandnew-bad", "brandnew", "brandold"} <= missing
    assert found.templates == {"brandnew-kind-{}": "example.py:2"}
