"""Notices to chosen audiences: who is in an audience, RSVP places, and delivery progress.

Plain data in and out; the models read the rows and apply these rules.

- An audience is a union of segments, each a role × area (the whole district, one kapanewon or
  one kalurahan) × organisation (any when none is given). Every user in it gets one copy;
  deactivated users and users who blocked the bot are counted as unreachable, never sent to.
- RSVP: a *Hadir* takes a place while there is one, else puts the person on the waiting list;
  a *Tidak hadir* from someone holding a place frees it for the first on the waiting list.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.vocabulary import Role


@dataclass(frozen=True)
class Segment:
    """One part of an audience: a role, in an area or the whole district, of an organisation."""

    role: Role
    kapanewon_id: int | None = None
    kalurahan_id: int | None = None
    """A kalurahan narrows its kapanewon; neither means the whole district."""
    organisation: str | None = None


@dataclass(frozen=True)
class Holding:
    """One role a user holds, with where it is (the IPAL's or the area's) and the organisation."""

    user_id: int
    role: Role
    kapanewon_id: int | None
    kalurahan_id: int | None
    organisation: str | None
    active: bool
    blocked: bool


@dataclass(frozen=True)
class Audience:
    recipients: tuple[int, ...]
    """User ids to send to, each once, in ascending order."""
    unreachable: tuple[int, ...]
    """User ids in the audience who are deactivated or blocked the bot."""


def same_organisation(wanted: str | None, held: str | None) -> bool:
    """No organisation asked for matches any; else equal ignoring case and outer spaces."""
    if wanted is None:
        return True
    return held is not None and held.strip().casefold() == wanted.strip().casefold()


def in_segment(segment: Segment, holding: Holding) -> bool:
    """Whether this role of the user falls in the segment."""
    if holding.role is not segment.role:
        return False
    if segment.kalurahan_id is not None and holding.kalurahan_id != segment.kalurahan_id:
        return False
    if segment.kapanewon_id is not None and holding.kapanewon_id != segment.kapanewon_id:
        return False
    return same_organisation(segment.organisation, holding.organisation)


def resolve_audience(segments: Iterable[Segment], holdings: Iterable[Holding]) -> Audience:
    """The users any segment reaches, split into those to send to and those unreachable."""
    chosen = tuple(segments)
    reachable: set[int] = set()
    unreachable: set[int] = set()
    for holding in holdings:
        if not any(in_segment(segment, holding) for segment in chosen):
            continue
        if holding.active and not holding.blocked:
            reachable.add(holding.user_id)
        else:
            unreachable.add(holding.user_id)
    unreachable -= reachable
    return Audience(tuple(sorted(reachable)), tuple(sorted(unreachable)))


class Answer(enum.StrEnum):
    YES = "yes"  # Hadir
    NO = "no"  # Tidak hadir


class Standing(enum.StrEnum):
    """Where an answer leaves the person."""

    ATTENDING = "attending"
    WAITING = "waiting"
    DECLINED = "declined"


def rsvp_open(*, deadline: datetime | None, now: datetime) -> bool:
    """Answers may be given or changed until the deadline (none: until the event)."""
    return deadline is None or now < deadline


def standing_after(answer: Answer, *, place_taken: bool) -> Standing:
    """A yes is attending when a place was taken for it, else waiting; a no is declined."""
    if answer is Answer.NO:
        return Standing.DECLINED
    return Standing.ATTENDING if place_taken else Standing.WAITING


@dataclass(frozen=True)
class Progress:
    sent: int
    failed: int
    remaining: int
    seconds_left: int
    """At the configured rate, rounded up."""

    @property
    def finished(self) -> bool:
        return self.remaining == 0


def estimate_progress(*, sent: int, failed: int, remaining: int, rate: float) -> Progress:
    """How far a notice's delivery is, and the time left at `rate` messages a second."""
    seconds = math.ceil(remaining / rate) if rate > 0 and remaining else 0
    return Progress(sent=sent, failed=failed, remaining=remaining, seconds_left=seconds)


def split_caption(caption_length: int, *, limit: int) -> bool:
    """Whether a notice's text is too long for a caption, so the file goes first, then the
    text as a message of its own."""
    return caption_length > limit


_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def balanced_tags(html: str) -> bool:
    """Whether every formatting tag of the text is closed, in the order it was opened."""
    opened: list[str] = []
    for closing, name in _TAG.findall(html):
        if not closing:
            opened.append(name)
        elif not opened or opened.pop() != name:
            return False
    return not opened


def text_room(*, limit: int, additions: Iterable[int]) -> int:
    """UTF-16 units left for the admin's own text in a message of `limit` units, when the
    longest of the lines the bot adds under it (each language, each RSVP) takes `additions`."""
    return limit - max(additions, default=0)
