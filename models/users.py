"""People and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.access import Grant
from domain.vocabulary import Role
from models.areas import Area, Ipal
from models.base import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2), default="id")
    is_blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", order_by="RoleGrant.id"
    )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


class RoleGrant(Base):
    """One role a user holds, scoped to an IPAL (member, chair) or an area (officials)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    ipal_id: Mapped[int | None] = mapped_column(ForeignKey("ipals.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    scope_key: Mapped[str] = mapped_column(String(32))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))
    granted_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="roles")
    ipal: Mapped[Ipal | None] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")


IPAL_ROLES = frozenset({Role.MEMBER, Role.CHAIR})


AREA_ROLES = frozenset({Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL})


@dataclass(frozen=True)
class Profile:
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str


def roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(grant.role) for grant in user.roles)


def ipals_of(user: User) -> list[Ipal]:
    """The IPALs a member or chair belongs to, each once, in the order they joined."""
    seen: dict[int, Ipal] = {}
    for grant in user.roles:
        if grant.role in IPAL_ROLES and grant.ipal is not None:
            seen.setdefault(grant.ipal.id, grant.ipal)
    return list(seen.values())


def grants_of(user: User) -> tuple[Grant, ...]:
    """The user's roles with their scopes as ids, for `domain.access.may`."""
    return tuple(_grant(grant) for grant in user.roles)


def _grant(grant: RoleGrant) -> Grant:
    role = Role(grant.role)
    if role is Role.KALURAHAN_OFFICIAL:
        return Grant(role, kalurahan_id=grant.area_id)
    if role is Role.KAPANEWON_OFFICIAL:
        return Grant(role, kapanewon_id=grant.area_id)
    return Grant(role, ipal_id=grant.ipal_id)
