"""`sanimas demo`: the real bot against a local simulator, walked through by scripted people.

No token, no network, no configuration: a simulator on a free port, a fresh SQLite database in
a temporary folder, a few IPALs with real Kulon Progo names, and a transcript of every chat read
back from what the simulator recorded over HTTP.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.clock import WIB, SystemClock
from bot.demo.script import WALK
from bot.demo.transcript import Transcript
from bot.demo.walk import StepError, Walk
from bot.settings import ExplicitSettings, Settings
from bot.texts import Texts
from domain.registry_csv import IpalRow
from models.areas import import_ipals
from telesim import Simulator

__all__ = ["WALK", "run_demo"]

PAUSE_SECONDS = 0.6
REGIONS = "kulon_progo_kalurahan.csv"
DEMO_IPALS = (
    # code, name, kalurahan code (its names come from the region list), SR, built,
    # months since the last desludging
    ("KP-WTS-01", "IPAL Tirta Lestari", "34.01.02.2006", 62, 2019, 14),
    ("KP-PGS-01", "IPAL Sendang Resik", "34.01.07.2006", 48, 2021, 23),
    ("KP-SNT-01", "IPAL Guyub Rukun", "34.01.06.2004", 55, 2018, 30),
)
LLTT_MONTHS = 24
DEMO_HOUR = time(9, 0)
"""The bot's clock starts at nine this morning (WIB), so nothing waits out the night."""


def demo_settings(sim: Simulator, database: Path) -> Settings:
    data: dict[str, Any] = {
        "telegram": {
            "token": sim.token,
            "base_url": sim.base_url,
            "base_file_url": sim.base_file_url,
            "poll_timeout": 1,
        },
        "database": {"url": f"sqlite+aiosqlite:///{database}"},
        "scheduler": {"sweep_seconds": 3600},
    }
    return ExplicitSettings.model_validate(data)


def kalurahan_names() -> dict[str, tuple[str, str]]:
    """Kalurahan code → (kapanewon, kalurahan), from the region list packaged with the bot."""
    text = (resources.files("bot") / "data" / REGIONS).read_text(encoding="utf-8")
    return {
        row["kalurahan_code"]: (row["kapanewon"], row["kalurahan"])
        for row in csv.DictReader(io.StringIO(text))
    }


def demo_ipals(today: date) -> dict[str, IpalRow]:
    """The demo's IPALs; their last desludging is counted back from `today`."""
    names = kalurahan_names()
    rows = {}
    for line, (code, name, kalurahan_code, connections, built, months) in enumerate(
        DEMO_IPALS, start=2
    ):
        kapanewon, kalurahan = names[kalurahan_code]
        desludged = today - timedelta(days=round(months * 30.4))
        rows[code] = IpalRow(
            line,
            code,
            name,
            kapanewon,
            kalurahan,
            None,
            None,
            None,
            connections,
            built,
            desludged,
            LLTT_MONTHS,
        )
    return rows


async def run_demo(fast: bool, texts: Texts) -> int:
    """Play the walk; 0 when the bot answered every step and made no call Telegram refuses."""
    with tempfile.TemporaryDirectory(prefix="sanimas-demo-") as folder:
        database = Path(folder) / "sanimas-demo.db"
        async with Simulator() as sim:
            transcript = Transcript(sim, texts)
            transcript.tell("demo-intro", origin=sim.origin)
            played = await _play(sim, database, transcript, 0.0 if fast else PAUSE_SECONDS)
    return _summary(sim, transcript, database, played)


async def _play(sim: Simulator, database: Path, transcript: Transcript, pause: float) -> int | None:
    """Run the bot and the steps; the number of steps played, or None when one failed."""
    clock = SystemClock(datetime.combine(SystemClock().today(), DEMO_HOUR, WIB))
    application = build_application(demo_settings(sim, database), clock=clock)
    async with running(application) as runtime:
        ipals = demo_ipals(clock.today())
        async with runtime.db.transaction() as session:
            await import_ipals(session, rows=list(ipals.values()), now=clock.now())
        walk = Walk(sim, runtime, clock, transcript, ipals)
        try:
            return await _steps(walk, pause)
        except StepError as error:
            transcript.tell("demo-stopped", reason=transcript.texts.error(error))
            return None


async def _steps(walk: Walk, pause: float) -> int:
    played = 0
    for number, step in enumerate(WALK, start=1):
        walk.transcript.say()
        title = walk.transcript.texts.plain(step.title)
        walk.transcript.say(f"── {number}. {title} ──")
        await step.act(walk)
        played += 1
        await asyncio.sleep(pause)
    return played


def _summary(sim: Simulator, transcript: Transcript, database: Path, played: int | None) -> int:
    stats = sim.stats
    sent = sum(stats.messages_per_chat.values())
    edits = stats.calls.get("editMessageText", 0) + stats.calls.get("editMessageReplyMarkup", 0)
    transcript.say()
    transcript.tell(
        "demo-summary",
        sent=sent,
        edits=edits,
        chats=len(stats.messages_per_chat),
        calls=len(sim.calls),
    )
    transcript.tell("demo-database", path=database)
    violations = sim.violations
    if violations:
        transcript.tell("demo-violations", count=len(violations))
        for violation in violations:
            transcript.say(f"   {violation}")
        return 1
    if played is None:
        return 1
    transcript.tell("demo-done", count=played)
    return 0
