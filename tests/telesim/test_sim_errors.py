"""Telegram's refusals, as PTB raises them, and which of them count as bot bugs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from telegram import Bot
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from telesim import Simulator

if TYPE_CHECKING:
    from tests.telesim.conftest import FakeClock

MakeBot = Callable[[str | None], Bot]


async def test_an_edit_that_changes_nothing_is_not_modified(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    message = await bot.send_message(user.id, "<b>Halo</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<b>Halo</b>", user.id, message.message_id, parse_mode="HTML")
    edited = await bot.edit_message_text("Halo", user.id, message.message_id)
    assert isinstance(edited, type(message))
    assert edited.edit_date is not None
    assert sim.violations == [
        f"editMessageText chat={user.id}: 400 Bad Request: message is not modified: specified "
        "new message content and reply markup are exactly the same as a current content and "
        "reply markup of the message"
    ]


async def test_text_length_counts_utf16_after_entity_parsing(sim: Simulator, bot: Bot) -> None:
    """4096 UTF-16 units fit (tags do not count); one more is too long; emoji count twice."""
    user = sim.add_user("Sri")
    await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user.id, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(user.id, b"jpeg", caption="c" * 1025)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("pH < 6", 'Unsupported start tag "" at byte offset 3'),
        ("A & B", 'Character "&" must be escaped'),
    ],
)
async def test_malformed_html_cannot_be_parsed(
    sim: Simulator, bot: Bot, text: str, detail: str
) -> None:
    user = sim.add_user("Sri")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(user.id, text, parse_mode="HTML")
    [call] = sim.calls[-1:]
    assert call.status == 400
    assert call.error is not None
    assert call.error.startswith("Bad Request: can't parse entities: " + detail)
    assert len(sim.violations) == 1


async def test_unknown_chat_is_not_found(sim: Simulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "halo")
    assert sim.violations == ["sendMessage chat=424242: 400 Bad Request: chat not found"]


async def test_a_blocked_user_is_forbidden_but_not_a_bug(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    sim.block_bot(user.id)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(user.id, "halo")
    sim.unblock_bot(user.id)
    await bot.send_message(user.id, "halo lagi")
    assert sim.violations == []


async def test_the_private_chat_budget_gives_retry_after(
    sim: Simulator, bot: Bot, clock: FakeClock
) -> None:
    """A burst of 3, then one message per second; a 429 is counted, not a violation."""
    user = sim.add_user("Sri")
    for number in range(3):
        await bot.send_message(user.id, f"pesan {number}")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(user.id, "terlalu cepat")
    assert raised.value.retry_after == dt.timedelta(seconds=1)
    clock.advance(1)
    await bot.send_message(user.id, "sudah boleh")
    assert sim.stats.too_many_requests == 1
    assert sim.stats.messages_per_chat == {user.id: 4}
    assert sim.violations == []


async def test_the_group_budget_is_twenty_a_minute(
    sim: Simulator, bot: Bot, clock: FakeClock
) -> None:
    group = sim.add_group("KSM Tirta")
    for number in range(20):
        await bot.send_message(group.id, f"pesan {number}")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(group.id, "terlalu banyak")
    assert raised.value.retry_after == dt.timedelta(seconds=60)
    clock.advance(59.5)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(group.id, "masih terlalu banyak")
    assert raised.value.retry_after == dt.timedelta(seconds=1)  # whole seconds, rounded up
    clock.advance(0.5)
    await bot.send_message(group.id, "sudah boleh")


async def test_injected_server_errors_are_network_errors(sim: Simulator, bot: Bot) -> None:
    user = sim.add_user("Sri")
    sim.fail_next("sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(user.id, "halo")
    sim.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(user.id, "halo")
    await bot.send_message(user.id, "halo")
    assert [call.status for call in sim.calls if call.method == "sendMessage"] == [
        500,
        500,
        429,
        200,
    ]
    assert sim.violations == []


async def test_a_wrong_token_is_unauthorized(sim: Simulator, make_bot: MakeBot) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot("999:WRONG"):
            pass
    assert sim.violations == ["getMe chat=None: 401 Unauthorized"]


async def test_an_unknown_method_is_not_found(sim: Simulator, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    assert sim.violations == ["sendTelepathy chat=None: 404 Not Found: method not found"]
