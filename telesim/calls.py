"""The call log: every Bot API call, the statistics, the violations and injected faults."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable
from typing import Any

from telesim.errors import ApiError, Cause, is_violation
from telesim.models import CallRecord, SimStats

SENDING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendLocation", "copyMessage"}
)


@dataclasses.dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chats: frozenset[int] | None = None
    """Only calls to these chats fail; None: any call."""


class CallLog:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.records: list[CallRecord] = []
        self.violations: list[str] = []
        self.stats = SimStats()
        self._faults: dict[str, collections.deque[_Fault]] = collections.defaultdict(
            collections.deque
        )

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        count: int,
        retry_after: int | None,
        chats: frozenset[int] | None = None,
    ) -> None:
        fault = _Fault(status, description, retry_after, count, chats)
        self._faults[method.lower()].append(fault)

    def take_fault(self, method: str, chat_id: int | None = None) -> ApiError | None:
        """The injected error for this call of `method` (to `chat_id`), if one is queued."""
        queue = self._faults.get(method.lower())
        fault = next(
            (f for f in queue or () if f.chats is None or chat_id in f.chats),
            None,
        )
        if queue is None or fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.remove(fault)
        return ApiError(
            fault.status, fault.description, retry_after=fault.retry_after, cause=Cause.INJECTED
        )

    def record(
        self,
        method: str,
        chat_id: int | None,
        params: dict[str, Any],
        error: ApiError | None,
        uploads: dict[str, str] | None = None,
    ) -> None:
        status = error.status if error else 200
        description = error.description if error else None
        self.records.append(
            CallRecord(
                method, chat_id, params, status, description, self._clock(), dict(uploads or {})
            )
        )
        stats = self.stats
        stats.calls[method] = stats.calls.get(method, 0) + 1
        if status == 429:
            stats.too_many_requests += 1
        if error is None and method in SENDING_METHODS and chat_id is not None:
            stats.messages_per_chat[chat_id] = stats.messages_per_chat.get(chat_id, 0) + 1
        if error is not None and is_violation(error.status, error.cause):
            self.violations.append(f"{method} chat={chat_id}: {status} {description}")

    def recent(self, count: int = 8) -> str:
        """The last calls, one per line, for timeout messages."""
        lines = [
            f"  {r.method} chat={r.chat_id} -> {r.status}{' ' + r.error if r.error else ''}"
            for r in self.records[-count:]
        ]
        return "\n".join(lines) or "  (no Bot API calls yet)"
