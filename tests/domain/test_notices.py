"""Tests for domain.notices: audiences as plain data, RSVP standing, progress estimates."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.dates import WIB
from domain.notices import (
    Answer,
    Holding,
    Segment,
    Standing,
    balanced_tags,
    estimate_progress,
    resolve_audience,
    rsvp_open,
    split_caption,
    standing_after,
    text_room,
)
from domain.vocabulary import Role

NOW = datetime(2026, 12, 1, 9, tzinfo=WIB)


def holding(user_id: int, role: Role, **values: object) -> Holding:
    fields: dict[str, object] = {
        "kapanewon_id": None,
        "kalurahan_id": None,
        "organisation": None,
        "active": True,
        "blocked": False,
        **values,
    }
    return Holding(user_id, role, **fields)  # type: ignore[arg-type]


HOLDINGS = [
    holding(1, Role.MEMBER, kapanewon_id=100, kalurahan_id=10),
    holding(1, Role.CHAIR, kapanewon_id=100, kalurahan_id=10),
    holding(2, Role.MEMBER, kapanewon_id=100, kalurahan_id=20),
    holding(3, Role.MEMBER, kapanewon_id=300, kalurahan_id=30),
    holding(4, Role.PARTNER, organisation="AKSANSI Kulon Progo"),
    holding(5, Role.PARTNER, organisation="Forum Kabupaten Sehat"),
    holding(6, Role.MEMBER, kapanewon_id=100, kalurahan_id=10, active=False),
    holding(7, Role.PARTNER, organisation="AKSANSI Kulon Progo", blocked=True),
]


def test_a_user_in_two_segments_is_sent_one_copy() -> None:
    """Member and chair of the same IPAL, both segments chosen: one recipient."""
    audience = resolve_audience([Segment(Role.MEMBER, 100), Segment(Role.CHAIR)], HOLDINGS)
    assert audience.recipients == (1, 2)
    assert audience.unreachable == (6,)


def test_a_kalurahan_narrows_and_an_organisation_matches_without_case() -> None:
    """A kalurahan segment leaves its neighbour out; organisations compare loosely."""
    assert resolve_audience([Segment(Role.MEMBER, 100, 20)], HOLDINGS).recipients == (2,)
    partners = resolve_audience(
        [Segment(Role.PARTNER, organisation=" aksansi kulon progo")], HOLDINGS
    )
    assert partners.recipients == (4,) and partners.unreachable == (7,)


def test_nobody_outside_every_segment_is_reached() -> None:
    """Kapanewon 300's members only; nobody else, and no unreachable from elsewhere."""
    audience = resolve_audience([Segment(Role.MEMBER, 300)], HOLDINGS)
    assert audience.recipients == (3,) and audience.unreachable == ()


def test_answers_and_their_standing() -> None:
    """A yes with a place attends, without one waits; a no declines."""
    assert standing_after(Answer.YES, place_taken=True) is Standing.ATTENDING
    assert standing_after(Answer.YES, place_taken=False) is Standing.WAITING
    assert standing_after(Answer.NO, place_taken=False) is Standing.DECLINED


def test_rsvp_closes_at_its_deadline() -> None:
    """Open before the deadline, closed from it on; open without one."""
    assert rsvp_open(deadline=NOW + timedelta(seconds=1), now=NOW)
    assert not rsvp_open(deadline=NOW, now=NOW)
    assert rsvp_open(deadline=None, now=NOW)


def test_progress_estimates_the_time_left_at_the_rate() -> None:
    """1000 to go at 25/s: 40 s; nothing to go: finished."""
    progress = estimate_progress(sent=500, failed=3, remaining=1000, rate=25.0)
    assert progress.seconds_left == 40 and not progress.finished
    assert estimate_progress(sent=1, failed=0, remaining=0, rate=25.0).finished


def test_a_long_caption_is_split_from_its_file() -> None:
    """Over 1024 UTF-16 units the file and the text go apart."""
    assert split_caption(1025, limit=1024) and not split_caption(1024, limit=1024)


def test_tags_are_balanced_when_closed_in_order() -> None:
    assert balanced_tags('<b>a <i>b</i></b> <a href="x">c</a>')
    assert balanced_tags("no tags &lt;b&gt;")
    assert not balanced_tags("<b>a")
    assert not balanced_tags("<b><i>a</b></i>")
    assert not balanced_tags("a</i>")


def test_text_room_leaves_the_longest_addition() -> None:
    assert text_room(limit=4096, additions=[40, 52]) == 4044
    assert text_room(limit=4096, additions=[]) == 4096
