"""The real `sanimas run` as a child process, pointed at the simulator."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.clock import SystemClock
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals
from models.database import Database
from models.invitations import create_invitation
from telesim import Simulator
from tests.conftest import START
from tests.support.harness import IPAL_ROWS

CLOCK = SystemClock(START)
"""The clock of the end-to-end runs and of the tests that set them up: a Monday morning in
Jakarta, running on, so that whenever the suite runs the quiet hours (21:00–06:00) hold
nothing a test waits for. A process starts where it stands, unless a test sets its own."""
STOP_TIMEOUT = 15.0
COMMAND_TIMEOUT = 120.0


class BotProcess:
    def __init__(
        self, sim: Simulator, database_url: tuple[str, str | None], log_path: Path, **env: str
    ) -> None:
        url, schema = database_url
        self._log_path = log_path
        self._env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("SANIMAS_")},
            "PTB_TIMEDELTA": "true",
            "SANIMAS_TELEGRAM__TOKEN": sim.token,
            "SANIMAS_TELEGRAM__BASE_URL": sim.base_url,
            "SANIMAS_TELEGRAM__BASE_FILE_URL": sim.base_file_url,
            "SANIMAS_TELEGRAM__POLL_TIMEOUT": "1",
            "SANIMAS_DATABASE__URL": url,
            "SANIMAS_LOGGING__LEVEL": "DEBUG",
            **({"SANIMAS_DATABASE__SCHEMA_NAME": schema} if schema else {}),
            **env,
        }
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {"SANIMAS_CLOCK__START": CLOCK.now().isoformat(), **self._env}
        log = self._log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], env=env, stdout=log, stderr=log
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed."""
        process = self._require()
        process.send_signal(signal.SIGKILL)
        process.wait(STOP_TIMEOUT)

    async def stop(self) -> int:
        """SIGTERM and wait, without blocking the loop the simulator answers on."""
        process = self._require()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(process.wait, STOP_TIMEOUT)

    async def exited(self) -> int:
        """Wait for the process to end by itself (up to STOP_TIMEOUT); its exit code."""
        return await asyncio.to_thread(self._require().wait, STOP_TIMEOUT)

    async def command(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Another `sanimas` command (`sweep --at …`) on the same database and settings, run
        to its end beside the running bot."""
        return await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot.cli", *arguments],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    @property
    def pid(self) -> int:
        return self._require().pid

    def log(self) -> str:
        return self._log_path.read_text(encoding="utf-8", errors="replace")

    def _require(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            raise RuntimeError("the bot process was not started")
        return self._process


async def member_invitation(database: Database) -> str:
    """The IPAL registry imported, and a code that makes up to five members of KP-WTS-01."""
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=CLOCK.now())
        ipal = await find_ipal(session, code="KP-WTS-01")
        invitation = await create_invitation(
            session,
            role=Role.MEMBER,
            ipal=ipal,
            area=None,
            max_uses=5,
            expires_in=None,
            now=CLOCK.now(),
        )
        return invitation.code
