"""Delivery of updates to the bot's webhook, in order, retried with backoff until 200."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp

from telesim.limits import SimLimits
from telesim.models import JSON
from telesim.notify import Notifier
from telesim.updates import UpdateQueue, Webhook

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookSender:
    def __init__(self, queue: UpdateQueue, notifier: Notifier, limits: SimLimits) -> None:
        self._queue = queue
        self._notifier = notifier
        self._limits = limits
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="simulator-webhook")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        delay = self._limits.webhook_retry_initial
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while (hook := self._queue.webhook) is not None:
                batch = self._queue.batch(1)
                if not batch:
                    await self._notifier.next_change(None)
                    continue
                if await self._deliver(session, hook, batch[0]):
                    self._queue.confirm(batch[0]["update_id"] + 1)
                    self._notifier.notify()
                    delay = self._limits.webhook_retry_initial
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self._limits.webhook_retry_max)

    async def _deliver(self, session: aiohttp.ClientSession, hook: Webhook, update: JSON) -> bool:
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                if response.status == 200:
                    return True
                message = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            message = f"Connection failed: {exc}"
        self._queue.webhook_failed(message)
        return False
