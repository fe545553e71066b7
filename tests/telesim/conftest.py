"""Fixtures that run the simulator and a bare python-telegram-bot Application against it."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after warns without it

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from telesim import SimLimits, Simulator

App = Application[Any, Any, Any, Any, Any, Any]


class FakeClock:
    """A monotonic clock the test moves by hand (rate limits, callback answer deadlines)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _request() -> HTTPXRequest:
    return HTTPXRequest(httpx_kwargs={"trust_env": False})


def _application(sim: Simulator) -> App:
    return (
        ApplicationBuilder()
        .token(sim.token)
        .base_url(sim.base_url)
        .base_file_url(sim.base_file_url)
        .request(_request())
        .get_updates_request(_request())
        .build()
    )


def _bot(sim: Simulator, token: str | None = None) -> Bot:
    return Bot(
        token or sim.token,
        base_url=sim.base_url,
        base_file_url=sim.base_file_url,
        request=_request(),
        get_updates_request=_request(),
    )


@contextlib.asynccontextmanager
async def _polling(app: App) -> AsyncIterator[App]:
    """Run the application with long polling for the duration of the block."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sim(clock: FakeClock) -> AsyncIterator[Simulator]:
    simulator = Simulator(limits=SimLimits(), clock=clock)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
def app(sim: Simulator) -> App:
    """A bare PTB Application wired to the simulator (not started)."""
    return _application(sim)


@pytest.fixture
async def bot(sim: Simulator) -> AsyncIterator[Bot]:
    """An initialised PTB Bot wired to the simulator."""
    async with _bot(sim) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def make_bot(sim: Simulator) -> Callable[[str | None], Bot]:
    """Another PTB Bot for the simulator, optionally with another token."""

    def make(token: str | None) -> Bot:
        return _bot(sim, token)

    return make


@pytest.fixture
def polling() -> Callable[[App], contextlib.AbstractAsyncContextManager[App]]:
    """`async with polling(app):` runs the application with long polling."""
    return _polling
