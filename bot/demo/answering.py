"""Answering a conversation the way a member would: press what the bot shows, type numbers.

The demo does not know the questions in advance: it reads the newest question the simulator
holds and picks an answer, preferring the values that make the report carry a problem.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.callbacks import CallbackData, Kind
from bot.demo.transcript import Person
from bot.demo.walk import StepError, Walk
from domain.vocabulary import Condition, ProblemKind
from models.conversations import ACTIVE, Conversation
from models.users import User
from telesim import SimMessage

MAX_ANSWERS = 30
PREFERRED_VALUES = (Condition.PROBLEMS.value, ProblemKind.OVERFLOW.value)
"""The IPAL works with problems, and the problem is an overflow (critical: alerted at once)."""
FORWARD_VALUES = ("_done", "_keep", "_skip", "send")
"""Done choosing, keep the figure shown, skip an optional answer, send the summary."""
SKIP_LABEL = re.compile(r"lewati|skip", re.IGNORECASE)
MONEY = re.compile(r"collected|terkumpul|ribu|rupiah|\brp\b", re.IGNORECASE)
TYPED_ANSWERS = ("40", "0", "-")
"""Tried in turn when the bot asks the same typed question again."""


async def answer_conversation(walk: Walk, person: Person) -> None:
    """Answer every question until the conversation is over (sent, or ended by the bot)."""
    pressed: set[str] = set()
    typed_tries: dict[str, int] = {}
    for _ in range(MAX_ANSWERS):
        if not await in_conversation(walk, person):
            return
        question = newest_bot_message(walk, person)
        choice = choose_button(question, pressed)
        if choice is not None:
            label, data = choice
            pressed.add(_value(data))
            await walk.press(person, question, label, data)
            continue
        text = question.content or ""
        tries = typed_tries.get(text, 0)
        typed_tries[text] = tries + 1
        keyboard = walk.sim.reply_keyboard(person.user.id) or []
        await walk.say(person, typed_answer(text, keyboard, tries))
    raise StepError("demo-endless", {"name": person.name, "count": MAX_ANSWERS})


async def in_conversation(walk: Walk, person: Person) -> bool:
    async with walk.runtime.db.transaction() as session:
        found = await session.scalar(
            select(Conversation.id)
            .join(User, User.id == Conversation.user_id)
            .where(User.telegram_id == person.user.id, Conversation.status == ACTIVE)
        )
    return found is not None


def newest_bot_message(walk: Walk, person: Person) -> SimMessage:
    messages = walk.sim.messages(person.user.id)
    if not messages:
        raise StepError("demo-no-question", {"name": person.name})
    return messages[-1]


def choose_button(message: SimMessage, pressed: set[str]) -> tuple[str, str] | None:
    """A preferred value not pressed yet, else a way forward, else the first button."""
    candidates = [
        (button["text"], button["callback_data"])
        for row in message.inline_buttons()
        for button in row
        if _is_conversation(button.get("callback_data"))
    ]
    for label, data in candidates:
        if _value(data) in PREFERRED_VALUES and _value(data) not in pressed:
            return label, data
    for label, data in candidates:
        if _value(data) in FORWARD_VALUES:
            return label, data
    return candidates[0] if candidates else None


def typed_answer(question: str, keyboard: list[list[str]], tries: int) -> str:
    """The skip button of the reply keyboard (location), an amount in rupiah, or a count."""
    for row in keyboard:
        for label in row:
            if SKIP_LABEL.search(label):
                return label
    if MONEY.search(question) and tries == 0:
        return "450000"
    return TYPED_ANSWERS[min(tries, len(TYPED_ANSWERS) - 1)]


def _is_conversation(raw: object) -> bool:
    data = CallbackData.decode(raw if isinstance(raw, str) else None)
    return data is not None and data.kind is Kind.CONVERSATION


def _value(raw: str) -> str:
    return raw.rsplit("|", 1)[-1]
