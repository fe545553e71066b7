"""The region tree (kapanewon › kalurahan › padukuhan), the IPAL registry and its data functions."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from sqlalchemy.orm.util import identity_key

from domain.access import Place
from domain.lltt import next_lltt_due
from domain.registry_csv import IpalRow
from domain.reminders import LlttRule, first_lltt_day
from models.audit import record_audit
from models.base import Base

DEFAULT_INTERVAL_MONTHS = 24
DEFAULT_LLTT_RULE = LlttRule()


class AreaLevel(enum.StrEnum):
    KAPANEWON = "kapanewon"
    KALURAHAN = "kalurahan"
    PADUKUHAN = "padukuhan"


class Area(Base):
    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("parent_id", "level", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[AreaLevel] = mapped_column(
        Enum(
            AreaLevel, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]
        )
    )
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id], lazy="joined", join_depth=2)


class Ipal(Base):
    __tablename__ = "ipals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kalurahan_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    padukuhan_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    house_connections: Mapped[int]
    built_year: Mapped[int | None]
    last_desludged_on: Mapped[date | None]
    desludging_interval_months: Mapped[int | None]
    lltt_due_on: Mapped[date | None]
    """The next LLTT due date (`domain.lltt.next_lltt_due`), kept by `schedule_lltt`."""
    lltt_remind_on: Mapped[date | None] = mapped_column(index=True)
    """The day of the next LLTT reminder step not handled yet; the LLTT sweep reads only
    the IPALs whose day has come."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    kalurahan: Mapped[Area] = relationship(foreign_keys=[kalurahan_id], lazy="joined")
    padukuhan: Mapped[Area | None] = relationship(foreign_keys=[padukuhan_id], lazy="joined")

    @property
    def kapanewon(self) -> Area:
        parent = self.kalurahan.parent
        if parent is None:
            raise ValueError(f"kalurahan {self.kalurahan.name} has no kapanewon")
        return parent


def place_of(ipal: Ipal) -> Place:
    """The IPAL with its kalurahan and kapanewon, as `domain.access.may` asks about them."""
    return Place(
        ipal_id=ipal.id, kalurahan_id=ipal.kalurahan_id, kapanewon_id=ipal.kalurahan.parent_id
    )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    areas_created: int


async def find_area(
    session: AsyncSession, *, level: AreaLevel, name: str, parent: Area | None
) -> Area | None:
    """An area by name (case-insensitive) under its parent."""
    parent_match = Area.parent_id.is_(None) if parent is None else Area.parent_id == parent.id
    return await session.scalar(
        select(Area).where(Area.level == level, Area.name.ilike(name.strip()), parent_match)
    )


async def ensure_area(
    session: AsyncSession,
    *,
    level: AreaLevel,
    name: str,
    parent: Area | None,
    code: str | None = None,
) -> tuple[Area, bool]:
    area = await find_area(session, level=level, name=name, parent=parent)
    if area is not None:
        return area, False
    area = Area(level=level, name=name.strip(), parent_id=parent.id if parent else None, code=code)
    session.add(area)
    await session.flush()
    return area, True


def schedule_lltt(ipal: Ipal, *, default_interval_months: int, rule: LlttRule) -> None:
    """Set the IPAL's next LLTT due date and its first reminder day: after an import, and
    whenever a desludging is recorded done (a new cycle starts)."""
    due = next_lltt_due(
        last_desludged_on=ipal.last_desludged_on,
        built_year=ipal.built_year,
        interval_months=ipal.desludging_interval_months or default_interval_months,
    )
    ipal.lltt_due_on = due
    ipal.lltt_remind_on = None if due is None else first_lltt_day(due, rule)


async def import_ipals(
    session: AsyncSession,
    *,
    rows: list[IpalRow],
    now: datetime,
    default_interval_months: int = DEFAULT_INTERVAL_MONTHS,
    rule: LlttRule = DEFAULT_LLTT_RULE,
) -> ImportResult:
    """Create or update (by code) every row's IPAL, creating the areas it names."""
    created = updated = areas_created = 0
    for row in rows:
        kapanewon, new_k = await ensure_area(
            session, level=AreaLevel.KAPANEWON, name=row.kapanewon, parent=None
        )
        kalurahan, new_l = await ensure_area(
            session, level=AreaLevel.KALURAHAN, name=row.kalurahan, parent=kapanewon
        )
        padukuhan, new_p = (None, False)
        if row.padukuhan:
            padukuhan, new_p = await ensure_area(
                session, level=AreaLevel.PADUKUHAN, name=row.padukuhan, parent=kalurahan
            )
        areas_created += new_k + new_l + new_p
        ipal = await session.scalar(select(Ipal).where(Ipal.code == row.code))
        if ipal is None:
            ipal = Ipal(code=row.code, created_at=now)
            session.add(ipal)
            created += 1
        else:
            updated += 1
        ipal.name = row.name
        ipal.kalurahan_id = kalurahan.id
        ipal.padukuhan_id = padukuhan.id if padukuhan else None
        ipal.latitude, ipal.longitude = row.latitude, row.longitude
        ipal.house_connections = row.house_connections
        ipal.built_year = row.built_year
        ipal.last_desludged_on = row.last_desludged_on
        ipal.desludging_interval_months = row.desludging_interval_months
        schedule_lltt(ipal, default_interval_months=default_interval_months, rule=rule)
        ipal.updated_at = now
    await session.flush()
    await record_audit(
        session,
        at=now,
        actor="cli",
        action="ipal.import",
        subject="ipals",
        details={"created": created, "updated": updated},
    )
    return ImportResult(created=created, updated=updated, areas_created=areas_created)


async def list_ipals(session: AsyncSession) -> list[Ipal]:
    return list(await session.scalars(select(Ipal).order_by(Ipal.code)))


async def find_ipal(session: AsyncSession, *, code: str) -> Ipal | None:
    return await session.scalar(select(Ipal).where(Ipal.code == code))


async def load_ipal(session: AsyncSession, *, ipal_id: int) -> Ipal | None:
    """The IPAL with its kalurahan and kapanewon loaded (alerts and texts name both); no read
    when this session has loaded all of it already (the user's grants bring their IPALs)."""
    known = session.identity_map.get(identity_key(Ipal, ipal_id))
    if isinstance(known, Ipal) and _fully_loaded(known):
        return known
    return await session.scalar(
        select(Ipal)
        .where(Ipal.id == ipal_id)
        .options(joinedload(Ipal.kalurahan).joinedload(Area.parent))
        .execution_options(populate_existing=True)
    )


def _fully_loaded(ipal: Ipal) -> bool:
    """Whether the IPAL, its kalurahan and its kapanewon are loaded (the kapanewon's own
    parent, which nothing reads, aside)."""
    if inspect(ipal).unloaded or inspect(ipal.kalurahan).unloaded:
        return False
    kapanewon = ipal.kalurahan.parent
    return kapanewon is None or inspect(kapanewon).unloaded <= {"parent"}


async def list_areas(
    session: AsyncSession, *, level: AreaLevel, parent_id: int | None = None
) -> list[Area]:
    """The areas of one level (under one parent when given), by name."""
    query = select(Area).where(Area.level == level).order_by(Area.name)
    if parent_id is not None:
        query = query.where(Area.parent_id == parent_id)
    return list(await session.scalars(query))


async def find_area_by_id(session: AsyncSession, *, area_id: int) -> Area | None:
    return await session.get(Area, area_id)
