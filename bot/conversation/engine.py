"""Conversations whose step and answers live in the database, declared as data.

A flow is a set of named steps. Each step asks a `Question` and takes a `Reply` (typed text,
a button, a photo, …), answering with the next step's name or a `Hint` to ask again. The
conversation row is written in the same transaction as the step's effects, so a kill resumes
at the step it was on. Buttons carry the conversation id and the number of the question they
belong to: a button from an older question or another conversation is stale.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from telegram import Message

from bot.callbacks import CallbackData, conversation_button
from bot.keyboards import EMPTY_INLINE, InlineRows, Markup, inline
from bot.texts import Html, Texts
from bot.turn import Turn
from models.conversations import ACTIVE, Conversation
from models.outbox import OutboxMessage

END = "__end__"
SUMMARY = "summary"
EDIT = "edit"
"""A flow with a `summary` step has an `edit` step: *Ubah* on the summary goes there."""
SEQ = "_seq"
SHOWN = "_shown"


class InputKind(enum.StrEnum):
    TEXT = "text"
    BUTTON = "button"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    LOCATION = "location"
    OTHER = "other"


@dataclass(frozen=True)
class Reply:
    """What the user sent at a step, reduced to plain values."""

    kind: InputKind
    text: str | None = None
    html: str | None = None
    """The text or caption with its formatting, as Telegram's entities give it."""
    value: str | None = None
    file_id: str | None = None
    file_unique_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Question:
    text: Html
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    """Rows of (label, value); the engine turns values into callback data."""
    keyboard: Markup | None = None
    """A reply keyboard (e.g. to share the location); such a question is always a new message."""


@dataclass(frozen=True)
class Hint:
    """Ask the same question again after this catalogue text."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


class Scope:
    """What a step sees: the turn, the conversation's answers, the user's texts."""

    def __init__(self, turn: Turn, conversation: Conversation) -> None:
        self.turn = turn
        self.conversation = conversation
        self.data: dict[str, Any] = dict(conversation.data)

    @property
    def texts(self) -> Texts:
        return self.turn.texts


class Step(Protocol):
    name: str

    async def ask(self, scope: Scope) -> Question: ...

    async def take(self, scope: Scope, reply: Reply) -> str | Hint: ...

    def next_steps(self) -> tuple[str, ...]:
        """The names `take` may answer with (`END` included), checked when the flow is
        registered."""
        ...


@dataclass(frozen=True)
class Flow:
    name: str
    version: int
    """Raise when steps change meaning: older conversations are then ended, not resumed."""
    steps: Mapping[str, Step]
    first: str


Flows = dict[str, Flow]
"""The flows of one bot by name, filled when the bot is composed."""


class FlowShapeError(ValueError):
    """A flow declared so that it cannot work; raised when the bot is composed."""


class UnregisteredFlowError(LookupError):
    """A flow was started that the bot never registered, so its answers could not go on."""


def register_flow(flows: Flows, flow: Flow) -> None:
    """Add `flow` to the bot's flows once its shape is checked."""
    fault = shape_fault(flow)
    if fault is not None:
        raise FlowShapeError(f"flow {flow.name!r} {fault}")
    if flow.name in flows:
        raise FlowShapeError(f"flow {flow.name!r} is registered twice")
    flows[flow.name] = flow


def shape_fault(flow: Flow) -> str | None:
    """What is wrong with the flow's shape, as the end of a sentence; None when it is sound."""
    if flow.first not in flow.steps:
        return f"begins at step {flow.first!r}, which it does not have"
    if SUMMARY in flow.steps and EDIT not in flow.steps:
        return f"has a {SUMMARY!r} step but no {EDIT!r} step for changing an answer"
    for name, step in flow.steps.items():
        targets = step.next_steps()
        if not targets:
            return f"has a step {name!r} that declares no step it may lead to"
        for target in targets:
            if target != END and target not in flow.steps:
                return f"has a step {name!r} leading to step {target!r}, which it does not have"
    return None


async def active_conversation(turn: Turn) -> Conversation | None:
    if turn.user is None:
        return None
    loaded = turn.loaded
    if loaded is not None and loaded.user is turn.user:
        known = loaded.conversation
        return known if known is not None and known.status == ACTIVE else None
    return await turn.session.scalar(
        select(Conversation).where(
            Conversation.user_id == turn.user.id, Conversation.status == ACTIVE
        )
    )


async def begin(
    turn: Turn, flow: Flow, data: dict[str, Any] | None = None, *, step: str | None = None
) -> Scope:
    """End any running conversation and ask `flow`'s first question (or `step`'s, when the
    answers in `data` make the steps before it unneeded)."""
    if turn.runtime.flows.get(flow.name) is not flow:
        raise UnregisteredFlowError(
            f"flow {flow.name!r} was started but never registered: list it in its feature's flows"
        )
    if turn.user is None:
        raise ValueError("only a joined user can hold a conversation")
    await end(turn, status="replaced")
    first = step or flow.first
    conversation = Conversation(
        user_id=turn.user.id,
        chat_id=turn.chat_id,
        flow=flow.name,
        flow_version=flow.version,
        step=first,
        data=dict(data or {}),
        started_at=turn.now,
        updated_at=turn.now,
    )
    turn.session.add(conversation)
    await turn.session.flush()
    if turn.loaded is not None and turn.loaded.user is turn.user:
        turn.loaded.conversation = conversation
    scope = Scope(turn, conversation)
    await _show(scope, flow.steps[first], edit_message_id=None)
    return scope


async def end(turn: Turn, *, status: str) -> Conversation | None:
    """Close the running conversation (done, cancelled, replaced) and take its buttons away."""
    conversation = await active_conversation(turn)
    if conversation is None:
        return None
    conversation.status = status
    conversation.updated_at = turn.now
    await _strip_buttons(turn, conversation)
    return conversation


async def proceed(
    turn: Turn, conversation: Conversation, reply: Reply, message: Message | None
) -> None:
    """Give the reply to the current step and ask what comes next."""
    flow = turn.runtime.flows.get(conversation.flow)
    if (
        flow is None
        or flow.version != conversation.flow_version
        or conversation.step not in flow.steps
    ):
        await end(turn, status="outdated")
        await turn.reply(turn.texts("conversation-outdated"))
        return
    scope = Scope(turn, conversation)
    outcome = await flow.steps[conversation.step].take(scope, reply)
    conversation.updated_at = turn.now
    if conversation.status != ACTIVE:
        return
    if isinstance(outcome, Hint):
        conversation.data = dict(scope.data)
        await turn.reply(turn.texts(outcome.key, **outcome.params))
        await _show(scope, flow.steps[conversation.step], edit_message_id=None, force_new=True)
        return
    conversation.data = dict(scope.data)
    if outcome == END:
        conversation.status = "done"
        await _strip_buttons(turn, conversation, message)
        return
    conversation.step = outcome
    await _show(scope, flow.steps[outcome], edit_message_id=message.message_id if message else None)


def decode_button(data: CallbackData) -> tuple[int, int, str] | None:
    """(conversation id, question number, value) of a conversation button, or None."""
    try:
        conversation_id, seq, value = data.args
        return int(conversation_id), int(seq), value
    except ValueError:
        return None


def is_current(conversation: Conversation | None, conversation_id: int, seq: int) -> bool:
    return (
        conversation is not None
        and conversation.id == conversation_id
        and conversation.data.get(SEQ) == seq
    )


async def asked_on(turn: Turn, conversation: Conversation, message: Message) -> bool:
    """Whether `message` is the question the conversation shows now, in its own chat: its
    button data pressed on any other message (a welcome, a group's) is stale."""
    if conversation.prompt_outbox_id is None or message.chat.id != conversation.chat_id:
        return False
    loaded = turn.loaded
    if (
        loaded is not None
        and loaded.conversation is conversation
        and loaded.prompt_outbox_id == conversation.prompt_outbox_id
    ):
        shown = loaded.prompt_message_id
    else:
        shown = await turn.session.scalar(
            select(OutboxMessage.message_id).where(
                OutboxMessage.id == conversation.prompt_outbox_id
            )
        )
    return shown is not None and shown == message.message_id


async def _show(
    scope: Scope, step: Step, *, edit_message_id: int | None, force_new: bool = False
) -> None:
    """Ask `step`'s question: edit the pressed message in place when it can, else send anew."""
    turn, conversation = scope.turn, scope.conversation
    question = await step.ask(scope)
    seq = int(scope.data.get(SEQ, 0)) + 1
    markup = _markup(conversation.id, seq, question)
    fingerprint = hashlib.sha1(
        repr((question.text, question.buttons)).encode(), usedforsecurity=False
    ).hexdigest()[:12]
    can_edit = edit_message_id is not None and question.keyboard is None and not force_new
    if can_edit and scope.data.get(SHOWN) == fingerprint:
        return
    scope.data[SEQ], scope.data[SHOWN] = seq, fingerprint
    conversation.data = dict(scope.data)
    if can_edit:
        await turn.call(
            "editMessageText",
            {
                "message_id": edit_message_id,
                "text": question.text,
                "parse_mode": "HTML",
                "reply_markup": markup or EMPTY_INLINE,
            },
        )
        if markup is None:
            conversation.prompt_outbox_id = None
        return
    await _strip_buttons(turn, conversation)
    sent = await turn.send(question.text, markup=question.keyboard or markup)
    conversation.prompt_outbox_id = sent.id if sent is not None and markup else None


def _markup(conversation_id: int, seq: int, question: Question) -> Markup | None:
    if not question.buttons:
        return None
    rows: InlineRows = [
        [(label, conversation_button(conversation_id, str(seq), value)) for label, value in row]
        for row in question.buttons
    ]
    return inline(rows)


async def _strip_buttons(
    turn: Turn, conversation: Conversation, message: Message | None = None
) -> None:
    """Take the inline buttons off the question now shown, so they can't be pressed again."""
    if message is not None:
        if message.reply_markup is not None and message.reply_markup.inline_keyboard:
            await turn.call(
                "editMessageReplyMarkup",
                {"message_id": message.message_id, "reply_markup": EMPTY_INLINE},
            )
        conversation.prompt_outbox_id = None
        return
    if conversation.prompt_outbox_id is not None:
        await turn.call(
            "editMessageReplyMarkup",
            {"reply_markup": EMPTY_INLINE},
            edits_id=conversation.prompt_outbox_id,
        )
        conversation.prompt_outbox_id = None
