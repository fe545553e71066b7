"""Helpers for the tests of `/undang` and `/pengguna`: invitations made through the bot, forged
button presses, and the audit log."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from models.audit import AuditEntry
from models.users import User
from telesim import SimUser
from tests.support.harness import BotHarness

LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Z0-9]+)")


async def invite_through_bot(harness: BotHarness, inviter: SimUser, *labels: str) -> str:
    """Send /undang, press the buttons with these labels in turn; the code from the link."""
    await harness.say(inviter, "/undang")
    for label in labels:
        await harness.press(inviter, label)
    return shared_code(harness, inviter)


def shared_code(harness: BotHarness, inviter: SimUser) -> str:
    """The code in the deep link of the inviter's newest message."""
    found = LINK.search(harness.last_text(inviter))
    assert found is not None, harness.last_text(inviter)
    assert found.group(1) == "sanimas_sim_bot"
    return found.group(2)


async def forge(harness: BotHarness, user: SimUser, data: str) -> dict[str, Any]:
    """Press callback data the newest bot message does not show; the bot's answer."""
    message = harness.sim.messages(user.id)[-1]
    query_id = await harness.sim.press_forged_button(user.id, message.message_id, data)
    await harness.settle()
    answer = harness.sim.callback_answer(query_id)
    assert answer is not None, "the bot did not answer the forged button"
    return answer


async def audit(harness: BotHarness, action: str) -> list[AuditEntry]:
    async with harness.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(await session.scalars(query))


async def user_of(harness: BotHarness, sim_user: SimUser) -> User:
    async with harness.db.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == sim_user.id))
    assert user is not None
    return user


def menu_labels(harness: BotHarness, user: SimUser) -> list[str]:
    keyboard = harness.sim.reply_keyboard(user.id) or []
    return [label for row in keyboard for label in row]


def command_names(harness: BotHarness, user: SimUser) -> list[str]:
    return [name for name, _ in harness.sim.commands(user.id)]
