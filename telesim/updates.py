"""The queue of updates for the bot: getUpdates long polling, offsets, webhook settings."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Callable

from telesim.errors import CONFLICT_TERMINATED, CONFLICT_WEBHOOK, ApiError
from telesim.models import JSON
from telesim.notify import Notifier

MAX_BATCH = 100
# Updates Telegram sends when allowed_updates is empty or was never given.
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}


@dataclasses.dataclass
class Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateQueue:
    """Pending updates; an update leaves the queue only when it is confirmed."""

    def __init__(self, notifier: Notifier, now: Callable[[], int]) -> None:
        self._notifier = notifier
        self._now = now
        self._pending: list[JSON] = []
        self._ids = itertools.count(1)
        self.allowed_updates: list[str] = []
        self.webhook: Webhook | None = None
        self._poller: object | None = None
        self._terminated: set[object] = set()
        self.closing = False

    def push(self, kind: str, payload: JSON) -> JSON:
        update: JSON = {"update_id": next(self._ids), kind: payload}
        self._pending.append(update)
        self._notifier.notify()
        return update

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self._poller is not None

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset."""
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def drop_pending(self) -> None:
        self._pending.clear()

    def batch(self, limit: int = MAX_BATCH) -> list[JSON]:
        """The next updates the bot accepts, oldest first; unwanted ones are discarded."""
        self._pending = [u for u in self._pending if self._wanted(u)]
        return self._pending[:limit]

    def _wanted(self, update: JSON) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _NOT_BY_DEFAULT

    async def long_poll(self, offset: int | None, limit: int, within: float) -> list[JSON]:
        """getUpdates: confirm, then wait up to `within` s for updates; a newer call ends this."""
        if self.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        if offset is not None:
            self.confirm(offset)
        ticket = object()
        if self._poller is not None:
            self._terminated.add(self._poller)
        self._poller = ticket
        self._notifier.notify()
        try:
            return await self._wait_batch(ticket, limit, within)
        finally:
            self._terminated.discard(ticket)
            if self._poller is ticket:
                self._poller = None

    async def _wait_batch(self, ticket: object, limit: int, within: float) -> list[JSON]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            if ticket in self._terminated:
                raise ApiError(409, CONFLICT_TERMINATED)
            updates = self.batch(limit)
            remaining = deadline - loop.time()
            if updates or remaining <= 0 or self.closing:
                return updates
            await self._notifier.next_change(remaining)

    def set_webhook(self, webhook: Webhook | None) -> None:
        self.webhook = webhook
        self._notifier.notify()

    def webhook_failed(self, message: str) -> None:
        if self.webhook is not None:
            self.webhook.last_error_date = self._now()
            self.webhook.last_error_message = message

    def webhook_info(self) -> JSON:
        hook = self.webhook
        info: JSON = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.batch(len(self._pending))),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
            if self.allowed_updates:
                info["allowed_updates"] = list(self.allowed_updates)
        return info
