"""The notice's text checked when it is written: Telegram's length limit with the lines the bot
adds, and formatting Telegram's entities never make."""

from __future__ import annotations

from typing import Any

from handlers.broadcast.flow import Step, longest_rsvp_lines, text_problem

RSVP: dict[str, Any] = {Step.RSVP: True, Step.EVENT: "2026-12-24", Step.CAPACITY: 40}


def test_without_rsvp_the_whole_message_is_the_admins() -> None:
    """4,096 UTF-16 units fit, one more does not; an emoji outside the BMP counts two."""
    no_rsvp: dict[str, Any] = {Step.RSVP: False}
    assert text_problem("a" * 4096, no_rsvp) is None
    too_long = text_problem("a" * 4095 + "🙂", no_rsvp)
    assert too_long is not None and too_long.key == "notice-too-long"
    assert too_long.params == {"length": 4097, "limit": 4096}


def test_before_rsvp_is_chosen_room_is_kept_for_its_longest_lines() -> None:
    room = 4096 - max(longest_rsvp_lines())
    assert 0 < max(longest_rsvp_lines()) < 200
    assert text_problem("a" * room, {}) is None
    refused = text_problem("a" * (room + 1), {})
    assert refused is not None and refused.params == {"length": room + 1, "limit": room}


def test_with_rsvp_chosen_the_room_is_exact() -> None:
    """Less room than without RSVP, no less than the longest case."""
    refused = text_problem("a" * 4096, RSVP)
    assert refused is not None
    limit = refused.params["limit"]
    assert isinstance(limit, int)
    assert 4096 - max(longest_rsvp_lines()) <= limit < 4096
    assert text_problem("a" * limit, RSVP) is None


def test_formatting_telegram_never_makes_is_refused() -> None:
    for html in ("<script>x</script>", "<b>open", "<b><i>crossed</b></i>", "closed</b>"):
        problem = text_problem(html, {})
        assert problem is not None and problem.key == "notice-bad-html", html
    fine = '<b>Bimtek</b> di <a href="https://kulonprogokab.go.id">balai</a> &lt;3'
    assert text_problem(fine, {}) is None
