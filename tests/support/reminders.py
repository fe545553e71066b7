"""Builders for the reminder tests on the data layer: IPALs, people with roles, and what the
sweeps queued for whom."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.clock import WIB
from bot.settings import ExplicitSettings, Settings
from domain.registry_csv import IpalRow
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal, import_ipals
from models.database import Database
from models.invitations import scope_key
from models.outbox import OutboxMessage
from models.users import RoleGrant, User

_ids = itertools.count(700_000)


def reminder_settings(url: str, schema: str | None, **sections: dict[str, Any]) -> Settings:
    data: dict[str, Any] = {"database": {"url": url, "schema_name": schema}}
    data.update(sections)
    return ExplicitSettings.model_validate(data)


def ipal_row(
    code: str,
    kalurahan: str,
    *,
    kapanewon: str = "Wates",
    built_year: int | None = 2018,
    last_desludged_on: date | None = None,
    interval: int | None = 24,
) -> IpalRow:
    return IpalRow(
        2,
        code,
        f"IPAL {code}",
        kapanewon,
        kalurahan,
        None,
        None,
        None,
        40,
        built_year,
        last_desludged_on,
        interval,
    )


async def add_ipals(db: Database, rows: list[IpalRow], now: datetime) -> None:
    async with db.transaction() as session:
        await import_ipals(session, rows=rows, now=now)


@dataclass(frozen=True)
class Person:
    id: int
    telegram_id: int
    name: str


async def add_person(
    db: Database,
    name: str,
    role: Role,
    now: datetime,
    *,
    ipal: str | None = None,
    kapanewon: str | None = None,
    kalurahan: str | None = None,
) -> Person:
    """A user holding one role: of an IPAL (by code), of an area (by names), or district-wide."""
    async with db.transaction() as session:
        user = User(
            telegram_id=next(_ids),
            first_name=name,
            language="id",
            created_at=now,
            last_seen_at=now,
        )
        session.add(user)
        await session.flush()
        ipal_id = area_id = None
        if ipal is not None:
            found = await find_ipal(session, code=ipal)
            assert found is not None
            ipal_id = found.id
        if kapanewon is not None:
            area = await find_area(session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None)
            if kalurahan is not None:
                area = await find_area(
                    session, level=AreaLevel.KALURAHAN, name=kalurahan, parent=area
                )
            assert area is not None
            area_id = area.id
        session.add(
            RoleGrant(
                user_id=user.id,
                role=role.value,
                ipal_id=ipal_id,
                area_id=area_id,
                scope_key=scope_key(ipal_id=ipal_id, area_id=area_id),
                granted_at=now,
            )
        )
        return Person(user.id, user.telegram_id, name)


async def ipal_id_of(db: Database, code: str) -> int:
    async with db.transaction() as session:
        found = await find_ipal(session, code=code)
        assert found is not None
        return found.id


async def queued(db: Database) -> list[OutboxMessage]:
    """Every row the sweeps queued, oldest first."""
    async with db.transaction() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def kind_of(message: OutboxMessage) -> str:
    return (message.key or "").split(":")[0]


def received(messages: list[OutboxMessage], person: Person, kind: str | None = None) -> list[date]:
    """The days (WIB) `person` was sent messages of `kind`, in order."""
    return [
        message.not_before.astimezone(WIB).date()
        for message in messages
        if message.chat_id == person.telegram_id and (kind is None or kind_of(message) == kind)
    ]
