"""The outbox worker against the simulator's enforced limits and injected failures."""

from __future__ import annotations

from sqlalchemy import select

from domain.vocabulary import Role
from models.outbox import OutboxMessage, OutboxStatus, enqueue
from models.users import User
from telesim import SimUser
from tests.support.harness import BotHarness


async def queue_texts(
    harness: BotHarness, chats: list[int], per_chat: int, *, bulk: bool = False
) -> None:
    async with harness.db.transaction() as session:
        for number in range(1, per_chat + 1):
            for chat in chats:
                await enqueue(
                    session,
                    chat_id=chat,
                    method="sendMessage",
                    now=harness.clock.now(),
                    bulk=bulk,
                    params={"chat_id": chat, "text": f"{number}/{per_chat} for {chat}"},
                )
    harness.runtime.wake_delivery()


async def rows_for(harness: BotHarness, chat_id: int) -> list[OutboxMessage]:
    async with harness.db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id)
        )
        return list(rows)


def received(harness: BotHarness, user: SimUser) -> list[str]:
    return [message.content or "" for message in harness.sim.messages(user.id)]


async def test_paced_under_limits_in_order(harness: BotHarness) -> None:
    """A burst to many chats, several each, arrives complete, in order, with no 429."""
    users = [harness.sim.add_user(first_name=f"U{n}") for n in range(20)]
    await queue_texts(harness, [user.id for user in users], per_chat=5, bulk=True)
    await harness.settle(timeout=30)
    for user in users:
        assert received(harness, user) == [f"{n}/5 for {user.id}" for n in range(1, 6)]
    assert harness.sim.stats.too_many_requests == 0
    rows = await rows_for(harness, users[0].id)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert all(row.message_id for row in rows)


async def test_retry_after_delays_that_chat_only(harness: BotHarness) -> None:
    """A 429 for one chat is waited out for that chat; another chat is served meanwhile."""
    slow, other = harness.sim.add_user(first_name="Slow"), harness.sim.add_user(first_name="Other")
    harness.sim.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 2", retry_after=2
    )
    await queue_texts(harness, [slow.id], per_chat=1)
    await harness.sim.wait_for(lambda: harness.sim.stats.too_many_requests == 1)
    await queue_texts(harness, [other.id], per_chat=1)
    await harness.sim.wait_for_messages(other.id, 1)
    assert received(harness, slow) == []
    await harness.sim.wait_for_messages(slow.id, 1)
    await harness.settle()
    assert received(harness, slow) == [f"1/1 for {slow.id}"]
    [row] = await rows_for(harness, slow.id)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)  # the 429 is not an attempt


async def test_server_errors_are_retried(harness: BotHarness) -> None:
    """Two 502s, then delivery: one message, counted attempts."""
    user = harness.sim.add_user(first_name="Ani")
    harness.sim.fail_next("sendMessage", status=502, description="Bad Gateway", count=2)
    await queue_texts(harness, [user.id], per_chat=1)
    await harness.sim.wait_for_messages(user.id, 1)
    await harness.settle()
    assert received(harness, user) == [f"1/1 for {user.id}"]
    [row] = await rows_for(harness, user.id)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)


async def test_blocked_user_is_marked_and_skipped(harness: BotHarness) -> None:
    """A 403 marks the user blocked and fails what still waited for them, with the reason."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    harness.sim.block_bot(user.id)
    await queue_texts(harness, [user.id], per_chat=3)
    await harness.settle()
    async with harness.db.transaction() as session:
        blocked = await session.scalar(select(User.is_blocked).where(User.telegram_id == user.id))
    assert blocked is True
    failed = [row for row in await rows_for(harness, user.id) if row.status is OutboxStatus.FAILED]
    assert len(failed) == 3
    assert {row.error for row in failed} == {"Forbidden: bot was blocked by the user"}


async def test_a_button_answer_goes_unclaimed_and_its_chat_waits_for_it(
    harness: BotHarness,
) -> None:
    """A press's answer goes out with no claim written first (a repeat of it does no harm);
    the question shown next, queued after it, waits for the answer's outcome."""
    await harness.seed_ipals()
    user = await harness.join(Role.MEMBER, ipal="KP-WTS-01")
    await harness.say(user, "📝 Laporan bulanan")
    question = harness.sim.messages(user.id)[-1]
    button = question.inline_buttons()[0][0]
    hold = harness.sim.hold_next("answerCallbackQuery")
    edits_before = sum(call.method == "editMessageText" for call in harness.sim.calls)
    await harness.sim.press_button(user.id, question.message_id, button["callback_data"])
    await harness.sim.wait_for(hold.arrived.is_set)
    rows = await rows_for(harness, user.id)
    answer = next(row for row in rows if row.method == "answerCallbackQuery")
    edit = next(row for row in rows if row.id > answer.id and row.method == "editMessageText")
    assert (answer.status, answer.claimed_at) == (OutboxStatus.PENDING, None)
    assert (edit.status, edit.claimed_at) == (OutboxStatus.PENDING, None)
    assert sum(call.method == "editMessageText" for call in harness.sim.calls) == edits_before
    hold.release()
    await harness.settle()
    rows = {row.id: row for row in await rows_for(harness, user.id)}
    assert rows[answer.id].status is OutboxStatus.SENT
    assert rows[edit.id].status is OutboxStatus.SENT
    assert not rows[answer.id].repeat_possible
