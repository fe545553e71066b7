"""What the benchmarks share: a database to run against, and a bot process to measure."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from telesim import Simulator

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
STOP_TIMEOUT = 15.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class DatabaseTarget:
    """Where the bot under test keeps its data: a SQLite file, or a fresh PostgreSQL schema."""

    kind: str
    url: str
    schema: str | None

    def environment(self) -> dict[str, str]:
        env = {"SANIMAS_DATABASE__URL": self.url}
        if self.schema:
            env["SANIMAS_DATABASE__SCHEMA_NAME"] = self.schema
        return env


def arguments(description: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    return parser


@asynccontextmanager
async def database_target(kind: str, folder: Path) -> AsyncIterator[DatabaseTarget]:
    """A migrated empty database; a PostgreSQL schema is dropped afterwards."""
    if kind == "sqlite":
        target = DatabaseTarget(kind, f"sqlite+aiosqlite:///{folder / 'b.db'}", None)
        await upgrade(target)
        yield target
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"CREATE SCHEMA {schema}"))
        target = DatabaseTarget(kind, POSTGRES_URL, schema)
        await upgrade(target)
        yield target
    finally:
        async with engine.connect() as connection:
            await connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        await engine.dispose()


async def upgrade(target: DatabaseTarget) -> None:
    """`sanimas db upgrade` against the target, as an operator runs it."""
    env = clean_environment() | target.environment()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "db",
        "upgrade",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
    )
    if await process.wait() != 0:
        raise RuntimeError(f"sanimas db upgrade failed for {target.kind}")


def clean_environment() -> dict[str, str]:
    """This process's environment without any SANIMAS_* setting or config file."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SANIMAS_")}
    env["PTB_TIMEDELTA"] = "true"
    return env


def bot_environment(sim: Simulator, target: DatabaseTarget) -> dict[str, str]:
    return (
        clean_environment()
        | target.environment()
        | {
            "SANIMAS_TELEGRAM__TOKEN": sim.token,
            "SANIMAS_TELEGRAM__BASE_URL": sim.base_url,
            "SANIMAS_TELEGRAM__BASE_FILE_URL": sim.base_file_url,
            "SANIMAS_TELEGRAM__POLL_TIMEOUT": "1",
        }
    )


async def spawn(
    command: Sequence[str], env: dict[str, str], log: Path
) -> asyncio.subprocess.Process:
    with log.open("ab") as handle:
        return await asyncio.create_subprocess_exec(
            *command, env=env, stdout=handle, stderr=handle, cwd=log.parent
        )


async def stop(process: asyncio.subprocess.Process) -> int:
    """SIGTERM, and SIGKILL if it has not stopped in time; returns the exit code."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
    except TimeoutError:
        process.kill()
        return await process.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` from 0 to 1) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
