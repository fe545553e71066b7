"""The bot's HTTP client on aiohttp, against the simulator over real HTTP."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.transport.aiohttp_request import AiohttpRequest
from telesim import Simulator

FILE = bytes(range(256)) * 40 + b"\r\n--boundary?\r\n"
FILE_NAME = 'laporan Wates "Mei" 2026.xlsx'


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator() as simulator:
        yield simulator


def make_bot(sim: Simulator, request: AiohttpRequest | None = None) -> Bot:
    return Bot(
        sim.token,
        base_url=sim.base_url,
        base_file_url=sim.base_file_url,
        request=request or AiohttpRequest(),
        get_updates_request=AiohttpRequest(read_timeout=5.0),
    )


async def test_json_parameters_reach_telegram_as_sent(sim: Simulator) -> None:
    user = sim.add_user("Sri")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Lanjut ✓", callback_data="n|1")]])
    async with make_bot(sim) as bot:
        me = await bot.get_me()
        sent = await bot.send_message(
            user.id, "<b>Halo</b> &amp; selamat", parse_mode="HTML", reply_markup=markup
        )
    assert me.username == sim.bot_user["username"]
    message = sim.messages(user.id)[-1]
    assert message.message_id == sent.message_id
    assert message.content == "Halo & selamat"
    assert message.callback_data() == ["n|1"]


async def test_a_file_is_uploaded_as_multipart_with_its_name_and_bytes(sim: Simulator) -> None:
    user = sim.add_user("Sri")
    upload = InputFile(FILE, filename=FILE_NAME)
    async with make_bot(sim) as bot:
        sent = await bot.send_document(
            user.id, upload, caption="Rekap <i>Mei</i>", parse_mode="HTML"
        )
    message = sim.messages(user.id)[-1]
    assert sim.file_content(message) == FILE
    assert message.media["document"]["file_name"] == FILE_NAME
    assert sent.document is not None and sent.document.file_name == FILE_NAME
    call = next(c for c in sim.calls if c.method == "sendDocument")
    assert call.uploads == {"document": hashlib.sha256(FILE).hexdigest()}
    assert call.params["caption"] == "Rekap <i>Mei</i>"


async def test_telegram_errors_keep_their_meaning(sim: Simulator) -> None:
    sim.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    user = sim.add_user("Sri")
    async with make_bot(sim) as bot:
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(user.id, "halo")


async def test_a_call_unanswered_past_its_read_timeout_times_out(sim: Simulator) -> None:
    user = sim.add_user("Sri")
    hold = sim.hold_next("sendMessage")
    async with make_bot(sim, AiohttpRequest(read_timeout=0.3)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(user.id, "halo")
    assert hold.arrived.is_set()
    hold.release(apply=False)


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = Bot(
        "123456:SIMULATED-TOKEN",
        base_url=f"http://127.0.0.1:{port}/bot",
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(),
    )
    with pytest.raises(NetworkError) as raised:
        await bot.initialize()
    assert not isinstance(raised.value, TimedOut)
    await bot.shutdown()


def test_timeouts_follow_ptb_defaults_and_overrides() -> None:
    request = AiohttpRequest(
        read_timeout=7.0, write_timeout=3.0, connect_timeout=2.0, pool_timeout=1.0
    )
    default = request.timeout()
    assert (default.sock_read, default.sock_connect, default.connect) == (7.0, 2.0, 3.0)
    assert default.total == 13.0
    upload = request.timeout(uploads=True)
    assert upload.total == 7.0 + 20.0 + 2.0 + 1.0
    chosen = request.timeout(read=30.0, write=None)
    assert chosen.sock_read == 30.0
    assert chosen.total is None
    assert request.read_timeout == 7.0


async def test_a_request_not_initialized_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/", "POST")
