"""Webhook delivery: to PTB's own webhook server, and retried until it succeeds."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from telesim import Simulator

App = Application[Any, Any, Any, Any, Any, Any]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the same text back."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def test_updates_reach_a_ptb_webhook_with_the_secret(sim: Simulator, app: App) -> None:
    """PTB registers the webhook; the simulator posts JSON with the secret header."""
    app.add_handler(MessageHandler(filters.TEXT, echo))
    port = free_port()
    user = sim.add_user("Sri")
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="rahasia_123",
    )
    try:
        await sim.send_text(user.id, "lewat webhook")
        [reply] = await sim.wait_for_messages(user.id, 1)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert reply.text == "lewat webhook"
    assert sim.webhook_info()["url"] == f"http://127.0.0.1:{port}/hook"
    assert sim.violations == []


@pytest.fixture
async def flaky_hook() -> AsyncIterator[tuple[str, list[Any]]]:
    """A webhook that fails its first request, then records what it gets."""
    received: list[Any] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), None))
        if len(received) == 1:
            return web.Response(status=500)
        received[-1] = (received[-1][0], await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/hook", received
    await runner.cleanup()


async def test_a_failed_delivery_is_retried_until_it_succeeds(
    sim: Simulator, bot: Bot, flaky_hook: tuple[str, list[Any]]
) -> None:
    url, received = flaky_hook
    user = sim.add_user("Sri")
    await sim.send_text(user.id, "sebelum")
    await bot.set_webhook(url, secret_token="s3cret")
    await sim.wait_for(lambda: sim.pending_updates == 0)
    assert [secret for secret, _ in received] == ["s3cret", "s3cret"]
    assert received[1][1]["message"]["text"] == "sebelum"
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    await bot.delete_webhook(drop_pending_updates=True)
