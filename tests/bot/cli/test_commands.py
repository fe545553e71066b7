"""The admin subcommands against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli.commands import invite_create, ipal_import, ipal_list
from bot.cli.console import Console
from bot.settings import ExplicitSettings, Settings
from bot.texts import Texts
from domain.registry_csv import COLUMNS
from models.areas import Area, Ipal
from models.database import Database
from models.invitations import Invitation

HEADER = ",".join(COLUMNS)
ENGLISH = Console(Texts("en"))
INDONESIAN = Console(Texts("id"))


@pytest.fixture
def settings(database: Database, database_url: tuple[str, str | None]) -> Settings:
    url, schema = database_url
    return ExplicitSettings.model_validate({"database": {"url": url, "schema_name": schema}})


async def count(database: Database, model: type) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_import_then_reimport_updates_by_code(
    settings: Settings, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second import with the same code updates the IPAL instead of adding one."""
    first = tmp_path / "a.csv"
    first.write_text(f"{HEADER}\nKP-1,IPAL Satu,Wates,Triharjo,,,,60,2019,,\n", encoding="utf-8")
    assert await ipal_import(settings, argparse.Namespace(file=first), ENGLISH) == 0
    first.write_text(
        f"{HEADER}\nKP-1,IPAL Satu Baru,Wates,Triharjo,,,,75,2019,,\n", encoding="utf-8"
    )
    assert await ipal_import(settings, argparse.Namespace(file=first), ENGLISH) == 0
    assert await count(database, Ipal) == 1
    assert await count(database, Area) == 2
    await ipal_list(settings, argparse.Namespace(), ENGLISH)
    assert "KP-1\tIPAL Satu Baru\tWates › Triharjo\t75 SR" in capsys.readouterr().out


async def test_bad_file_writes_nothing(
    settings: Settings, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad row refuses the whole file, listing the problems."""
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\nKP-1,IPAL Satu,Wates,Triharjo,,,,60,,,\n"
        "KP-2,IPAL Dua,Wates,Triharjo,,,,-3,,,\n",
        encoding="utf-8",
    )
    assert await ipal_import(settings, argparse.Namespace(file=path), ENGLISH) == 1
    assert capsys.readouterr().err == (
        f"{path}: nothing imported, 1 problem:\n"
        "  line 3: house_connections: '-3' is not a whole number\n"
    )
    assert await ipal_import(settings, argparse.Namespace(file=path), INDONESIAN) == 1
    assert capsys.readouterr().err == (
        f"{path}: tidak ada yang diimpor, ada 1 masalah:\n"
        "  baris 3: house_connections: '-3' bukan bilangan bulat\n"
    )
    assert await count(database, Ipal) == 0


async def test_file_that_is_not_utf8_is_refused(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spreadsheet saved in a legacy encoding gets told how to save it."""
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\nKP-1,IPAL Sélatan,Wates,Triharjo,,,,60,,,\n".encode("latin-1"))
    assert await ipal_import(settings, argparse.Namespace(file=path), INDONESIAN) == 2
    assert capsys.readouterr().err == (
        f"sanimas: berkas {path} bukan teks UTF-8: simpan ulang sebagai CSV UTF-8\n"
    )


async def test_invite_create_prints_bare_code_last(
    settings: Settings, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last line is the code alone; a wrong scope is refused with a sentence."""
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER}\nKP-1,IPAL Satu,Wates,Triharjo,,,,60,,,\n", encoding="utf-8")
    await ipal_import(settings, argparse.Namespace(file=path), ENGLISH)
    capsys.readouterr()
    arguments = argparse.Namespace(
        role="kalurahan-official",
        ipal=None,
        kapanewon="wates",
        kalurahan="TRIHARJO",
        uses=3,
        expires_days=None,
    )
    assert await invite_create(settings, arguments, INDONESIAN) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    async with database.transaction() as session:
        invitation = await session.scalar(select(Invitation).where(Invitation.code == code))
    assert invitation is not None and invitation.max_uses == 3
    wrong = argparse.Namespace(
        role="member", ipal=None, kapanewon=None, kalurahan=None, uses=1, expires_days=None
    )
    assert await invite_create(settings, wrong, ENGLISH) == 2
    assert capsys.readouterr().err == "sanimas: role member needs --ipal CODE\n"
    assert await invite_create(settings, wrong, INDONESIAN) == 2
    assert capsys.readouterr().err == "sanimas: peran member memerlukan --ipal KODE\n"


async def test_invite_create_carries_an_organisation(
    settings: Settings, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--role partner --organisation …` makes a partner invitation for that organisation; a
    name longer than 120 characters is refused."""
    arguments = argparse.Namespace(
        role="partner",
        ipal=None,
        kapanewon=None,
        kalurahan=None,
        organisation="  AKSANSI   Kulon Progo ",
        uses=1,
        expires_days=None,
    )
    assert await invite_create(settings, arguments, ENGLISH) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    async with database.transaction() as session:
        invitation = await session.scalar(select(Invitation).where(Invitation.code == code))
    assert invitation is not None
    assert (invitation.role, invitation.organisation) == ("partner", "AKSANSI Kulon Progo")
    arguments.organisation = "x" * 121
    assert await invite_create(settings, arguments, ENGLISH) == 2
    assert capsys.readouterr().err == "sanimas: --organisation is at most 120 characters\n"
