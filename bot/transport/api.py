"""The bot's Bot API client: PTB's ExtBot plus one generic call for stored outbox rows."""

from __future__ import annotations

from typing import Any

from telegram import InputFile
from telegram.ext import ExtBot

from bot.settings import TelegramSettings
from bot.transport.aiohttp_request import AiohttpRequest

UPLOAD_WRITE_TIMEOUT = 20.0
"""Seconds to write a multipart upload, PTB's own default for methods that send files."""


class SanimasBot(ExtBot[None]):
    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """POST one Bot API method with JSON-ready params (an `InputFile` value makes it a
        multipart upload); PTB maps errors to its exceptions."""
        if any(isinstance(value, InputFile) for value in params.values()):
            return await self._post(method, api_kwargs=params, write_timeout=UPLOAD_WRITE_TIMEOUT)
        return await self._post(method, api_kwargs=params)


def build_bot(settings: TelegramSettings) -> SanimasBot:
    """A bot on aiohttp whose HTTP client ignores proxy variables (the Bot API may be on
    loopback)."""
    return SanimasBot(
        token=settings.require_token(),
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=AiohttpRequest(connection_pool_size=64),
        get_updates_request=AiohttpRequest(read_timeout=settings.poll_timeout + 10.0),
    )
