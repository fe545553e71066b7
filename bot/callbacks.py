"""The one format of callback data: `1|kind|arg|…`, at most 64 bytes, decodable after a restart.

Buttons carry everything they need (no in-memory cache), so a press still works after a
restart; anything malformed, from another version, or too long decodes to None.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

VERSION = "1"
SEPARATOR = "|"
MAX_BYTES = 64


class Kind(enum.StrEnum):
    CONVERSATION = "c"
    ALERT = "a"
    LANGUAGE = "l"
    INVITE = "i"
    PEOPLE = "u"
    DESLUDGING = "d"
    RATING = "r"
    REMINDER = "m"
    SUMMARY = "s"
    EXPORT = "x"
    RSVP = "v"
    NOTICE = "n"
    FOLLOW_UP = "f"


@dataclass(frozen=True)
class CallbackData:
    kind: Kind
    args: tuple[str, ...]

    def encode(self) -> str:
        if any(SEPARATOR in arg for arg in self.args):
            raise ValueError(f"callback argument contains {SEPARATOR!r}: {self.args}")
        raw = SEPARATOR.join((VERSION, self.kind.value, *self.args))
        if len(raw.encode()) > MAX_BYTES:
            raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {raw!r}")
        return raw

    @classmethod
    def decode(cls, raw: str | None) -> CallbackData | None:
        if not raw or len(raw.encode()) > MAX_BYTES:
            return None
        version, _, rest = raw.partition(SEPARATOR)
        kind, _, args = rest.partition(SEPARATOR)
        if version != VERSION or kind not in Kind._value2member_map_:
            return None
        return cls(Kind(kind), tuple(args.split(SEPARATOR)) if args else ())


def conversation_button(conversation_id: int, step: str, value: str) -> str:
    return CallbackData(Kind.CONVERSATION, (str(conversation_id), step, value)).encode()


def alert_button(action: str, alert_id: int) -> str:
    return CallbackData(Kind.ALERT, (action, str(alert_id))).encode()


def language_button(language: str) -> str:
    return CallbackData(Kind.LANGUAGE, (language,)).encode()


def invite_button(*choices: str) -> str:
    """A step of `/undang`: the choices made so far (role, scope, uses, days)."""
    return CallbackData(Kind.INVITE, choices).encode()


def people_button(action: str, *args: str) -> str:
    """A step of `/pengguna`: list, view, deactivate, reactivate or remove a role."""
    return CallbackData(Kind.PEOPLE, (action, *args)).encode()


def desludging_button(action: str, request_id: int) -> str:
    """An action on a desludging request: schedule, reject, record done, cancel."""
    return CallbackData(Kind.DESLUDGING, (action, str(request_id))).encode()


def rating_button(request_id: int, action: str, value: str = "") -> str:
    """A step of rating a desludging done: the stars, one checklist item, or finishing."""
    return CallbackData(Kind.RATING, (str(request_id), action, value)).encode()


def reminder_button(action: str, *args: str) -> str:
    """A button of a reminder or a digest (start a report, ask for desludging, open a list),
    or of `/pengingat` (turn one kind on or off)."""
    return CallbackData(Kind.REMINDER, (action, *args)).encode()


def summary_button(level: str, area_id: int | None) -> str:
    """`/rekap` of another area: `d` the district, `k` a kapanewon, `l` a kalurahan, `i` an
    IPAL, with its id."""
    return CallbackData(Kind.SUMMARY, (level, str(area_id or 0))).encode()


def export_button(period: str, level: str, area_id: int | None) -> str:
    """`/ekspor` of an area for a period: `m` this month, `q` the last 3 months, `y` this year."""
    return CallbackData(Kind.EXPORT, (period, level, str(area_id or 0))).encode()


def rsvp_button(notice_id: int, answer: str) -> str:
    """*Hadir* / *Tidak hadir* under a notice: `1|v|yes|<notice>`."""
    return CallbackData(Kind.RSVP, (answer, str(notice_id))).encode()


def notice_button(action: str, *args: str | int) -> str:
    """An admin's action on a notice (cancel, list, export): `1|n|<action>|<notice>`."""
    return CallbackData(Kind.NOTICE, (action, *(str(arg) for arg in args))).encode()


def follow_up_button(action: str, ref: int, problem_id: int) -> str:
    """Following a problem up: `ack`/`done` on an alert (`ref` its id; 0 on a problem opened
    from `/tindaklanjut`), `view` a problem, `page` of the list (`ref` the page), or the
    check-back's `fixed`/`not_fixed` (`ref` the resolution's event id)."""
    return CallbackData(Kind.FOLLOW_UP, (action, str(ref), str(problem_id))).encode()
