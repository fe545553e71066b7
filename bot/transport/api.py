"""The bot's Bot API client: PTB's ExtBot plus one generic call for stored outbox rows."""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.settings import TelegramSettings


class SanimasBot(ExtBot[None]):
    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """POST one Bot API method with JSON-ready params; PTB maps errors to its exceptions."""
        return await self._post(method, api_kwargs=params)


def build_bot(settings: TelegramSettings) -> SanimasBot:
    """A bot whose HTTP client ignores proxy variables (the Bot API may be on loopback)."""
    no_proxy = {"trust_env": False}
    return SanimasBot(
        token=settings.require_token(),
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=HTTPXRequest(connection_pool_size=64, httpx_kwargs=no_proxy),
        get_updates_request=HTTPXRequest(
            read_timeout=settings.poll_timeout + 10.0, httpx_kwargs=no_proxy
        ),
    )
