"""The bot's Bot API client: PTB's ExtBot plus one generic call for stored outbox rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import InputFile, Update
from telegram.ext import ExtBot

from bot.settings import TelegramSettings
from bot.transport.aiohttp_request import AiohttpRequest

UPLOAD_WRITE_TIMEOUT = 20.0
"""Seconds to write a multipart upload, PTB's own default for methods that send files."""


Intake = Callable[[list[Update]], Awaitable[None]]


class SanimasBot(ExtBot[None]):
    def __init__(self, *args: Any, intake: Intake | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.intake = intake
            """Stores each batch `get_updates` returns before it returns (the durable inbox)."""

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        updates: Sequence[Update] = await super().get_updates(*args, **kwargs)
        if self.intake is not None and updates:
            await self.intake(list(updates))
        return tuple(updates)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """POST one Bot API method with JSON-ready params (an `InputFile` value makes it a
        multipart upload); PTB maps errors to its exceptions."""
        if any(isinstance(value, InputFile) for value in params.values()):
            return await self._post(method, api_kwargs=params, write_timeout=UPLOAD_WRITE_TIMEOUT)
        return await self._post(method, api_kwargs=params)


def build_bot(settings: TelegramSettings, *, intake: Intake | None = None) -> SanimasBot:
    """A bot on aiohttp whose HTTP client ignores proxy variables (the Bot API may be on
    loopback); `intake` stores each polled batch."""
    return SanimasBot(
        intake=intake,
        token=settings.require_token(),
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=AiohttpRequest(connection_pool_size=64),
        get_updates_request=AiohttpRequest(read_timeout=settings.poll_timeout + 10.0),
    )
