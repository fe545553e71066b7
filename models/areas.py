"""The region tree (kapanewon › kalurahan › padukuhan) and the IPAL registry."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


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
