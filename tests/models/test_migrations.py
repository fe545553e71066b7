"""The migrations build exactly the models' schema, and undo it cleanly."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from models import Base
from models.database import Database, alembic_config

DEVELOPER_INI = Path(__file__).resolve().parents[2] / "models" / "alembic.ini"


def differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def downgrade_to_base(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


async def test_upgraded_schema_matches_models(database: Database) -> None:
    """After `upgrade`, autogenerate finds nothing left to migrate."""
    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_downgrade_removes_every_table(database: Database) -> None:
    """Downgrading to base leaves only Alembic's own table."""
    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade_to_base)
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(tables) <= {"alembic_version"}


def test_developer_config_finds_nothing_to_generate(tmp_path: Path) -> None:
    """`alembic -c models/alembic.ini -x url=… upgrade head`, then `check` (what `revision
    --autogenerate` compares) finds the models and the migrations in step."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"
    config = Config(str(DEVELOPER_INI), cmd_opts=Namespace(x=[f"url={url}"]))
    command.upgrade(config, "head")
    command.check(config)
    assert (tmp_path / "scratch.db").exists()
