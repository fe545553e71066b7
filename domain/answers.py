"""What members type instead of pressing a button: yes and no, a choice, a list, coordinates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from domain.errors import InputError

MAX_ANSWER_LENGTH = 200
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;/+&\n]|\bdan\b|\band\b)\s*")
_COORDINATES = re.compile(r"^(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)$", re.ASCII)
_MIN_PART_LENGTH = 3

YES_WORDS = frozenset({"ya", "y", "iya", "yes", "ok", "oke", "sudah", "ada", "betul", "benar"})
NO_WORDS = frozenset(
    {"tidak", "tdk", "gak", "nggak", "enggak", "ga", "no", "n", "belum", "bukan", "tidak ada"}
)
SKIP_WORDS = frozenset(
    {"lewati", "lewat", "skip", "tidak ada", "tidak usah", "gak ada", "none", "no", "-"}
)
DONE_WORDS = frozenset({"selesai", "sudah", "cukup", "lanjut", "done", "next", "ok", "oke"})
NONE_WORDS = frozenset({"tidak ada", "gak ada", "nggak ada", "tidak", "none", "nothing", "-"})
KEEP_WORDS = frozenset({"tetap", "sama", "masih sama", "keep", "same"})


def normalise_answer(text: str) -> str:
    """Lower case letters, digits and single spaces: `✅ Berfungsi, baik!` is `berfungsi baik`."""
    kept = (
        char if unicodedata.category(char)[0] in "LN" else " "
        for char in unicodedata.normalize("NFKC", text).casefold()
    )
    return " ".join("".join(kept).split())


def is_one_of(text: str, words: frozenset[str]) -> bool:
    """Whether the typed `text` is one of `words` (`-` counts as a word of its own)."""
    stripped = text.strip()
    return stripped in words or normalise_answer(stripped) in words


def parse_yes_no(text: str) -> bool | None:
    """True for `ya`, False for `tidak` (and their variants), None for anything else."""
    answer = normalise_answer(text)
    if answer in YES_WORDS:
        return True
    return False if answer in NO_WORDS else None


def match_option(text: str, labels: Sequence[str]) -> int | None:
    """The index of the label the member typed: its number (1-based), the whole label, or a
    part of at least three letters that only one label contains as whole words."""
    answer = normalise_answer(text)
    if not answer or len(text) > MAX_ANSWER_LENGTH:
        return None
    if answer.isdigit():
        number = int(answer)
        return number - 1 if 1 <= number <= len(labels) else None
    names = [normalise_answer(label) for label in labels]
    if answer in names:
        return names.index(answer)
    if len(answer) < _MIN_PART_LENGTH:
        return None
    found = [i for i, name in enumerate(names) if f" {answer} " in f" {name} "]
    return found[0] if len(found) == 1 else None


def match_options(text: str, labels: Sequence[str]) -> list[int] | None:
    """Indexes of every option in a typed list (`bau, mampet` or `1, 3`); None if one is unknown."""
    if len(text) > MAX_ANSWER_LENGTH:
        return None
    parts = [part for part in _LIST_SEPARATORS.split(text.strip()) if part]
    indexes = [match_option(part, labels) for part in parts]
    if not indexes or any(index is None for index in indexes):
        return None
    return sorted({index for index in indexes if index is not None})


def parse_coordinates(text: str) -> tuple[float, float]:
    """Latitude and longitude typed as `-7.857, 110.158`."""
    match = _COORDINATES.match(text.strip()) if len(text) <= MAX_ANSWER_LENGTH else None
    if match is None:
        raise InputError("input-location-invalid")
    latitude, longitude = float(match[1]), float(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InputError("input-location-invalid")
    return latitude, longitude
