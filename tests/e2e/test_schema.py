"""`sanimas run` against a PostgreSQL schema behind the code: refused, with the command to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from models.database import Database, alembic_config
from telesim import Simulator
from tests.e2e.process import BotProcess

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_out_of_date_schema_is_refused(
    simulator: Simulator, database_url: tuple[str, str | None], tmp_path: Path
) -> None:
    """An empty schema: exit 2, one sentence naming `sanimas db upgrade`, no table created."""
    process = BotProcess(simulator, database_url, tmp_path / "bot.log", LANGUAGE="id")
    process.start()
    assert await process.exited() == 2
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert (
        f"sanimas: skema basis data pada revisi -, kode memerlukan {head}: "
        "jalankan `sanimas db upgrade`"
    ) in process.log()
    assert "Traceback" not in process.log()
    url, schema = database_url
    database = Database(url, schema_name=schema)
    try:
        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await database.dispose()
    assert tables == []
