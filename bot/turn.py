"""One update, one session: who asks, in which language, and the replies it commits."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackContext

from bot.jobs import Job
from bot.keyboards import REMOVE_KEYBOARD, Markup
from bot.runtime import Runtime, runtime_of
from bot.texts import Html, Texts, language_for
from bot.transport.shielded import being_cancelled
from models.areas import Area, Ipal
from models.conversations import ACTIVE, Conversation
from models.inbox import is_handled, mark_handled
from models.outbox import DeferredCall, OutboxMessage, defer_first, enqueue
from models.users import RoleGrant, User

SEEN_PRECISION = timedelta(hours=1)
"""`last_seen_at` is written only when it is older than this: one write per user an hour, not
one per update."""

TURN_ATTEMPTS = 3
"""A turn whose transaction failed for a passing reason is run again from the start (its
writes were rolled back, and nothing leaves the bot before the commit)."""

log = logging.getLogger(__name__)

PTBCallback = Callable[[Update, CallbackContext[Any, Any, Any, Any]], Coroutine[Any, Any, None]]


@dataclass
class Turn:
    """The handling of one update inside one database transaction."""

    session: AsyncSession
    runtime: Runtime
    update: Update
    now: datetime
    chat_id: int
    telegram_id: int
    user: User | None
    texts: Texts
    answer: DeferredCall | None = field(default=None, repr=False)
    """The pressed button's answer, queued first so Telegram gets it before anything else
    (inserted with the turn's next row, in one statement)."""
    answered: bool = False
    later: list[tuple[str, Job]] = field(default_factory=list, repr=False)
    """Jobs to start once this turn has committed."""
    loaded: Sender | None = field(default=None, repr=False)
    """What the turn's first query found with the user (`find_sender`)."""

    def after_commit(self, name: str, job: Job) -> None:
        """Start `job` in the background once this update's transaction has committed."""
        self.runtime.jobs.reserve()
        self.later.append((name, job))

    sweeps_to_wake: list[str] = field(default_factory=list)
    """Sweeps to run as soon as this turn has committed (`wake_sweep`)."""

    @property
    def language(self) -> str:
        return self.texts.language

    def use_language(self, language: str) -> None:
        self.texts = Texts(language)

    async def send(
        self,
        text: Html,
        *,
        markup: Markup | None = None,
        chat_id: int | None = None,
        key: str | None = None,
    ) -> OutboxMessage | None:
        params: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
        if markup is not None:
            params["reply_markup"] = markup
        return await self.call("sendMessage", params, chat_id=chat_id, key=key)

    async def reply(self, text: Html, *, markup: Markup | None = None) -> OutboxMessage:
        message = await self.send(text, markup=markup)
        if message is None:
            raise RuntimeError("a reply without key is always enqueued")
        return message

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        *,
        chat_id: int | None = None,
        key: str | None = None,
        edits_id: int | None = None,
    ) -> OutboxMessage | None:
        """Queue any Bot API call; it is sent once this turn commits.

        The insert does not flush the turn's other changes first (they do not bear on it):
        they are flushed once, when the turn commits.
        """
        target = self.chat_id if chat_id is None else chat_id
        with self.session.no_autoflush:
            return await enqueue(
                self.session,
                chat_id=target,
                method=method,
                params={"chat_id": target, **params} if method != "answerCallbackQuery" else params,
                now=self.now,
                key=key,
                edits_id=edits_id,
            )

    async def answer_button(self, text: Html | None = None, *, alert: bool = False) -> None:
        """Say `text` in the pressed button's answer; the first call decides, later ones don't.

        Every press is answered exactly once whatever the handler does: the answer is queued
        when the turn opens (so it goes out first) and only its text is chosen here.
        """
        if self.answer is None or self.answered:
            return
        self.answered = True
        if text:
            self.answer.params = {**self.answer.params, "text": str(text), "show_alert": alert}

    def wake_sweep(self, name: str) -> None:
        """Run the registered sweep `name` right after this turn commits."""
        if name not in self.sweeps_to_wake:
            self.sweeps_to_wake.append(name)

    def queue_answer(self) -> None:
        query = self.update.callback_query
        if query is not None and self.answer is None:
            self.answer = defer_first(
                self.session,
                chat_id=self.chat_id,
                method="answerCallbackQuery",
                params={"callback_query_id": query.id},
                now=self.now,
            )


def handler(func: Callable[[Turn], Awaitable[None]]) -> PTBCallback:
    """Run `func` in one transaction with the update marked handled and its replies queued."""

    @functools.wraps(func)
    async def callback(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        runtime = runtime_of(context)
        turn: Turn | None = None
        for attempt in range(1, TURN_ATTEMPTS + 1):
            turn = None
            try:
                async with runtime.db.transaction() as session:
                    if attempt > 1 and await is_handled(session, update_id=update.update_id):
                        break  # the failure came after the commit: the update is done
                    turn = await open_turn(session, runtime, update)
                    if turn is not None:
                        await func(turn)
                    await mark_handled(session, update_id=update.update_id, at=runtime.clock.now())
            except BaseException as error:
                for _ in turn.later if turn is not None else ():
                    runtime.jobs.release()
                if attempt < TURN_ATTEMPTS and is_transient(error) and not being_cancelled():
                    log.warning("update %s: %s; handling it again", update.update_id, error.orig)
                    continue
                raise
            break
        runtime.handled.add(update.update_id)
        for name, job in turn.later if turn is not None else ():
            runtime.jobs.start(job, name=name)
        runtime.wake_delivery()
        for name in turn.sweeps_to_wake if turn is not None else ():
            runtime.wake_sweep(name)

    return callback


async def open_turn(session: AsyncSession, runtime: Runtime, update: Update) -> Turn | None:
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        return None
    now = runtime.clock.now()
    loaded = await find_sender(session, sender.id)
    user = loaded.user if loaded is not None else None
    if user is not None:
        if now - user.last_seen_at >= SEEN_PRECISION:
            user.last_seen_at = now
        if user.is_blocked and writes_privately(update):
            user.is_blocked = False
    language = user.language if user is not None else language_for(sender.language_code)
    turn = Turn(
        session=session,
        runtime=runtime,
        update=update,
        now=now,
        chat_id=chat.id,
        telegram_id=sender.id,
        user=user,
        texts=Texts(language),
        loaded=loaded,
    )
    turn.queue_answer()
    await screen_deactivated(turn)
    return turn


@dataclass
class Sender:
    """The sender as the turn's first query found them."""

    user: User
    conversation: Conversation | None
    """Their running conversation (the engine keeps it so when it begins another)."""
    prompt_outbox_id: int | None
    """The outbox row of the question that conversation showed when the turn opened."""
    prompt_message_id: int | None
    """That row's Telegram message id (None when it has not been sent yet)."""


_SENDER = (
    select(User, Conversation, OutboxMessage.message_id)
    .outerjoin(Conversation, and_(Conversation.user_id == User.id, Conversation.status == ACTIVE))
    .outerjoin(OutboxMessage, OutboxMessage.id == Conversation.prompt_outbox_id)
    .options(
        joinedload(User.roles)
        .joinedload(RoleGrant.ipal)
        .joinedload(Ipal.kalurahan)
        .joinedload(Area.parent)
    )
    .where(User.telegram_id == bindparam("telegram_id"))
)
"""Built once (every update runs it): neither built nor keyed again per update."""


async def find_sender(session: AsyncSession, telegram_id: int) -> Sender | None:
    """The user with their role grants (each with its IPAL, that IPAL's kalurahan and
    kapanewon, or its area), their running conversation and the message id of the question
    it shows, in one query: a button press reads nothing more to know whether it is current,
    and the IPALs are at hand for `load_ipal`."""
    rows = await session.execute(_SENDER, {"telegram_id": telegram_id})
    found = rows.unique().first()
    if found is None:
        return None
    user, conversation, prompt_message_id = found
    prompt = conversation.prompt_outbox_id if conversation is not None else None
    return Sender(user, conversation, prompt, prompt_message_id)


def is_transient(error: BaseException) -> TypeGuard[DBAPIError]:
    """A failure the same transaction may not meet again: SQLite's write lock still held by
    another writer when the busy timeout ran out, or a connection the database dropped (the
    pool has discarded it; the next attempt connects afresh)."""
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or "database is locked" in str(error.orig)


def writes_privately(update: Update) -> bool:
    """A message or button press in the private chat: the user has not blocked the bot (other
    updates, such as `my_chat_member` about a group, say nothing about it)."""
    chat = update.effective_chat
    is_private = chat is not None and chat.type == ChatType.PRIVATE
    return is_private and (update.message is not None or update.callback_query is not None)


async def screen_deactivated(turn: Turn) -> None:
    """A user an admin deactivated is told so once, then treated as a stranger."""
    user = turn.user
    if user is None or user.is_active:
        return
    turn.user = None
    if not user.deactivation_told:
        user.deactivation_told = True
        await turn.reply(turn.texts("people-deactivated-notice"), markup=REMOVE_KEYBOARD)


async def require_joined(turn: Turn) -> User | None:
    """The user, or None after telling a stranger how to join (and answering their button)."""
    if turn.user is not None:
        return turn.user
    await turn.answer_button()
    await turn.reply(turn.texts("join-needed"))
    return None
