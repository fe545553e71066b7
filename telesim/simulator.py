"""The simulator as tests, benchmarks and the demo use it: one object, one event loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from types import TracebackType

from aiohttp import web

from telesim import actions
from telesim.control import control_routes
from telesim.errors import SimulatorUsageError
from telesim.holds import Hold
from telesim.limits import SimLimits
from telesim.models import JSON, CallRecord, SimChat, SimMessage, SimStats, SimUser
from telesim.server import BotApi
from telesim.state import SimState

DEFAULT_TOKEN = "123456:SIMULATED-TOKEN"  # noqa: S105 - a fixed fake token, not a secret
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


class Simulator:
    """A local Telegram Bot API over real HTTP, with users a test can act as."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        limits: SimLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        strict_html: bool = True,
        bot_username: str = "sanimas_sim_bot",
        bot_first_name: str = "SANIMAS",
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '<digits>:<secret>'")
        self.token = token
        bot = SimUser(int(bot_id), bot_first_name, username=bot_username, is_bot=True)
        self._state = SimState(bot, limits or SimLimits(), clock, strict_html)
        self._runner: web.AppRunner | None = None
        self._origin: str | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on `host:port` (port 0: a free one); see `base_url` for where."""
        self._state.updates.closing = False
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.add_routes(BotApi(self._state, self.token).routes())
        app.add_routes(control_routes(self))
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        bound_host, bound_port = runner.addresses[0][:2]
        if ":" in bound_host:
            bound_host = f"[{bound_host}]"  # IPv6
        self._runner = runner
        self._origin = f"http://{bound_host}:{bound_port}"

    async def stop(self) -> None:
        """Answer waiting long polls, stop webhook delivery, close the server."""
        self._state.updates.closing = True
        self._state.notifier.notify()
        await self._state.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def origin(self) -> str:
        if self._origin is None:
            raise SimulatorUsageError("the simulator is not started")
        return self._origin

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    @property
    def bot_user(self) -> JSON:
        return self._state.bot.to_json()

    # -- users and chats ---------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        language_code: str | None = "id",
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        """A user with a private chat whose id is the user's id."""
        return self._state.add_user(
            first_name=first_name,
            language_code=language_code,
            user_id=user_id,
            last_name=last_name,
            username=username,
        )

    def add_group(self, title: str) -> SimChat:
        return self._state.add_group(title)

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sends to them get 403, the bot gets `my_chat_member`."""
        if user_id not in self._state.blocked:
            actions.bot_membership(self._state, user_id, None, "member", "kicked")
        self._state.blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        if user_id in self._state.blocked:
            actions.bot_membership(self._state, user_id, None, "kicked", "member")
        self._state.blocked.discard(user_id)

    def set_bot_membership(self, user_id: int, chat_id: int, old: str, new: str) -> None:
        """The user adds the bot to a group (`left` to `member`) or removes it (the reverse)."""
        actions.bot_membership(self._state, user_id, chat_id, old, new)

    # -- acting as a user --------------------------------------------------------------------

    async def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> SimMessage:
        return actions.text_message(self._state, user_id, text, chat_id)

    async def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        content: bytes | None = None,
        chat_id: int | None = None,
    ) -> SimMessage:
        return actions.photo_message(self._state, user_id, caption, content, chat_id)

    async def send_voice(
        self, user_id: int, duration: int = 3, chat_id: int | None = None
    ) -> SimMessage:
        return actions.voice_message(self._state, user_id, duration, chat_id)

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", chat_id: int | None = None
    ) -> SimMessage:
        return actions.sticker_message(self._state, user_id, emoji, chat_id)

    async def send_location(
        self, user_id: int, latitude: float, longitude: float, chat_id: int | None = None
    ) -> SimMessage:
        return actions.location_message(self._state, user_id, latitude, longitude, chat_id)

    async def send_document(
        self,
        user_id: int,
        file_name: str = "data.csv",
        content: bytes = b"",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> SimMessage:
        state = self._state
        return actions.document_message(state, user_id, file_name, content, caption, chat_id)

    async def edit_text(
        self, user_id: int, message_id: int, text: str, chat_id: int | None = None
    ) -> SimMessage:
        """Edit the user's own text message into `text` (an `edited_message` update)."""
        return actions.edit_text(self._state, user_id, message_id, text, chat_id)

    async def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
        *,
        forged: bool = False,
    ) -> str:
        """Press a button of the bot message's current inline keyboard; returns the query id.

        With `forged`, any callback data on any bot message, as a modified client sends it.
        """
        state = self._state
        return actions.press(state, user_id, message_id, callback_data, chat_id, forged=forged).id

    async def press_forged_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str:
        """Send callback data the bot's message does not show, as a modified client could."""
        state = self._state
        return actions.press(state, user_id, message_id, callback_data, chat_id, forged=True).id

    # -- what the bot did --------------------------------------------------------------------

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[SimMessage]:
        """The bot's messages in the chat, oldest first, in their current state."""
        return [m for m in self.chat_log(chat_id, include_deleted=include_deleted) if m.from_bot]

    def chat_log(self, chat_id: int, *, include_deleted: bool = False) -> list[SimMessage]:
        """Every message of the chat, both directions."""
        log = self._state.messages.get(chat_id, [])
        return [m for m in log if include_deleted or not m.deleted]

    def file_content(self, message: SimMessage) -> bytes:
        """The bytes of a photo (its largest size) or document the message carries."""
        if "photo" in message.media:
            file_id = message.media["photo"][-1]["file_id"]
        elif "document" in message.media:
            file_id = message.media["document"]["file_id"]
        else:
            raise SimulatorUsageError(f"message {message.message_id} carries no file")
        return self._state.files.get(str(file_id)).content

    def callback_answer(self, query_id: str) -> JSON | None:
        query = self._state.callbacks.get(query_id)
        return None if query is None else query.answer

    def commands(self, scope_chat_id: int | None, language_code: str = "") -> list[tuple[str, str]]:
        """The command menu a user with that language sees in the chat (None: default scope)."""
        chat = self._state.chats.get(scope_chat_id) if scope_chat_id is not None else None
        private = chat.is_private if chat is not None else True
        return self._state.commands.visible(scope_chat_id, private, language_code)

    def reply_keyboard(self, chat_id: int) -> list[list[str]] | None:
        """The reply keyboard the user currently sees: rows of button texts."""
        rows = self._state.reply_keyboards.get(chat_id)
        return None if rows is None else [list(row) for row in rows]

    @property
    def calls(self) -> list[CallRecord]:
        return list(self._state.calls.records)

    @property
    def violations(self) -> list[str]:
        return list(self._state.calls.violations)

    @property
    def stats(self) -> SimStats:
        return self._state.calls.stats

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self._state.updates.polling

    @property
    def pending_updates(self) -> int:
        return self._state.updates.pending_count

    def webhook_info(self) -> JSON:
        return self._state.updates.webhook_info()

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        count: int = 1,
        retry_after: int | None = None,
        chats: Iterable[int] | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` (to one of `chats`, when given) with this
        error (not a violation)."""
        only = None if chats is None else frozenset(chats)
        self._state.calls.fail_next(method, status, description, count, retry_after, only)

    def hold_next(self, method: str) -> Hold:
        """Hold the next call of `method` as it arrives, until `release()`d (or dropped)."""
        return self._state.holds.add(method)

    # -- waiting -----------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline per condition is the point
    ) -> None:
        """Wait until `predicate()` holds, re-checked at every Bot API call and user action."""
        name = getattr(predicate, "__qualname__", repr(predicate))
        await self._state.notifier.wait_for(
            predicate,
            timeout,
            lambda: f"waited for {name}; last calls:\n{self._state.calls.recent()}",
        )

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline per condition is the point
    ) -> list[SimMessage]:
        """Wait until the chat holds at least `count` bot messages; returns all of them."""

        def describe() -> str:
            texts = [m.content for m in self.messages(chat_id)]
            calls = self._state.calls.recent()
            return f"chat {chat_id} has bot messages {texts}, wanted {count}; last calls:\n{calls}"

        def enough() -> bool:
            return len(self.messages(chat_id)) >= count

        await self._state.notifier.wait_for(enough, timeout, describe)
        return self.messages(chat_id)
