"""Everything the simulated Telegram knows: users, chats, messages, keyboards, callbacks."""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telesim.calls import CallLog
from telesim.commands import CommandStore
from telesim.errors import BLOCKED, CHAT_NOT_FOUND, REPLY_NOT_FOUND, ApiError, bad_request
from telesim.files import FileStore
from telesim.holds import Holds
from telesim.keyboards import Markup
from telesim.limits import RateLimiter, SimLimits
from telesim.models import JSON, SimChat, SimMessage, SimUser
from telesim.notify import Notifier
from telesim.params import Params
from telesim.updates import UpdateQueue
from telesim.webhook import WebhookSender


@dataclasses.dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created: float
    answer: JSON | None = None


class SimState:
    """Shared by the HTTP handlers and the test code; changes happen without awaiting."""

    def __init__(
        self, bot: SimUser, limits: SimLimits, clock: Callable[[], float], strict_html: bool
    ) -> None:
        self.bot = bot
        self.limits = limits
        self.clock = clock
        self.strict_html = strict_html
        self.notifier = Notifier()
        self.calls = CallLog(clock)
        self.holds = Holds()
        self.limiter = RateLimiter(limits, clock)
        self.files = FileStore()
        self.commands = CommandStore()
        self.updates = UpdateQueue(self.notifier, self.now)
        self.webhooks = WebhookSender(self.updates, self.notifier, limits)
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, SimChat] = {}
        self.messages: dict[int, list[SimMessage]] = {}
        self.blocked: set[int] = set()
        self.reply_keyboards: dict[int, list[list[str]]] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(1_000_000_001)
        self._query_ids = itertools.count(4_000_000_000_000_001)

    def now(self) -> int:
        return int(time.time())

    def add_user(self, **fields: Any) -> SimUser:
        user_id = fields.pop("user_id", None) or next(self._user_ids)
        user = SimUser(id=user_id, **fields)
        self.users[user.id] = user
        self.chats[user.id] = SimChat(id=user.id, type="private", user=user)
        return user

    def add_group(self, title: str) -> SimChat:
        chat = SimChat(id=-next(self._group_ids), type="group", title=title)
        self.chats[chat.id] = chat
        return chat

    def chat(self, chat_id: Any) -> SimChat:
        """The chat a call names; 400 chat not found for anything unknown."""
        try:
            chat = self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    def reachable_chat(self, chat_id: Any) -> SimChat:
        """A chat the bot may send to: 403 if the user blocked the bot."""
        chat = self.chat(chat_id)
        if chat.id in self.blocked:
            raise ApiError(403, BLOCKED)
        return chat

    def charge(self, chat: SimChat) -> None:
        """Spend flood budget for one sent or edited message, or answer 429."""
        retry_after = self.limiter.acquire(chat.id, private=chat.is_private)
        if retry_after is not None:
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    def chat_messages(self, chat_id: int) -> list[SimMessage]:
        return self.messages.setdefault(chat_id, [])

    def message(self, chat_id: int, message_id: int | None) -> SimMessage | None:
        """A message that exists (not deleted) in the chat."""
        messages = self.messages.get(chat_id, [])
        if message_id is None or not 1 <= message_id <= len(messages):
            return None
        found = messages[message_id - 1]
        return None if found.deleted else found

    def add_message(self, chat: SimChat, sender: SimUser, kind: str, **fields: Any) -> SimMessage:
        """Append a message with the chat's next message_id (ids are shared by both sides)."""
        messages = self.chat_messages(chat.id)
        message = SimMessage(
            chat=chat.to_json(),
            sender=sender.to_json(),
            message_id=len(messages) + 1,
            date=self.now(),
            kind=kind,
            **fields,
        )
        messages.append(message)
        return message

    def reply_target(self, chat: SimChat, reply: Any) -> JSON | None:
        """The message a reply_parameters object points at, as Telegram embeds it."""
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        target_chat = self.chat(reply["chat_id"]) if "chat_id" in reply else chat
        target = self.message(target_chat.id, int(reply["message_id"]))
        if target is not None:
            return target.to_json()
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request(REPLY_NOT_FOUND)

    def apply_keyboard(self, chat_id: int, markup: Markup) -> None:
        if markup.keyboard is not None:
            self.reply_keyboards[chat_id] = markup.keyboard
        elif markup.remove_keyboard:
            self.reply_keyboards.pop(chat_id, None)

    def new_callback(self, user_id: int, message: SimMessage, data: str) -> CallbackQuery:
        query_id = str(next(self._query_ids))
        query = CallbackQuery(
            query_id, user_id, message.chat_id, message.message_id, data, self.clock()
        )
        self.callbacks[query_id] = query
        return query


Handler = Callable[[SimState, Params], Awaitable[Any]]
"""A Bot API method: reads its parameters, changes the state, returns the result JSON."""
