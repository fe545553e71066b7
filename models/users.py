"""People and the roles they hold."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ForeignKey,
    String,
    UniqueConstraint,
    exists,
    false,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.access import Grant
from domain.people import Actor, name_matches
from domain.people import Grant as PeopleGrant
from domain.vocabulary import Role
from models.areas import Area, Ipal
from models.audit import record_audit
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
    deactivated_at: Mapped[datetime | None]
    """Set by an admin: the bot treats the user as a stranger until reactivated."""
    deactivation_told: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Whether the deactivated user has been told (once) that they can no longer use the bot."""

    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", order_by="RoleGrant.id"
    )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    @property
    def listed_name(self) -> str:
        """The name with the organisations of the user's roles: `Sri (AKSANSI Kulon Progo)`."""
        organisations = dict.fromkeys(g.organisation for g in self.roles if g.organisation)
        if not organisations:
            return self.display_name
        return f"{self.display_name} ({', '.join(organisations)})"


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
    organisation: Mapped[str | None] = mapped_column(String(120))
    """From the invitation: e.g. `AKSANSI Kulon Progo`, `Puskesmas Wates`; notices may target it."""

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


def rule_grant(grant: RoleGrant) -> PeopleGrant:
    return PeopleGrant(role=Role(grant.role), ipal_id=grant.ipal_id, area_id=grant.area_id)


def actor_of(user: User) -> Actor:
    """The user as the rules of `domain.people` see them."""
    return Actor.of(rule_grant(grant) for grant in user.roles)


def _in_area(area_id: int) -> ColumnElement[bool]:
    """A grant for this area or one below it, or for an IPAL in it."""
    areas = select(Area.id).where(or_(Area.id == area_id, Area.parent_id == area_id))
    kalurahans = select(Area.id).where(Area.level == "kalurahan", Area.id.in_(areas))
    ipals = select(Ipal.id).where(Ipal.kalurahan_id.in_(kalurahans))
    return or_(RoleGrant.area_id.in_(areas), RoleGrant.ipal_id.in_(ipals))


async def list_users(
    session: AsyncSession,
    *,
    role: Role | None = None,
    area_id: int | None = None,
    ipal_ids: Collection[int] | None = None,
    name: str | None = None,
) -> list[User]:
    """Users holding one grant that fits every filter given (all users without filters),
    whose name has every word of `name`, oldest first."""
    conditions: list[ColumnElement[bool]] = []
    if role is not None:
        conditions.append(RoleGrant.role == role.value)
    if area_id is not None:
        conditions.append(_in_area(area_id))
    if ipal_ids is not None:
        conditions.append(RoleGrant.ipal_id.in_(list(ipal_ids)))
    query = select(User).order_by(User.id)
    if conditions:
        query = query.where(exists().where(RoleGrant.user_id == User.id, *conditions))
    users = list(await session.scalars(query))
    if name:
        users = [u for u in users if name_matches(name, u.first_name, u.last_name, u.username)]
    return users


async def find_user(session: AsyncSession, *, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def find_grant(session: AsyncSession, *, grant_id: int) -> RoleGrant | None:
    return await session.get(RoleGrant, grant_id)


def _actor_name(actor_user_id: int | None) -> str:
    return "bot" if actor_user_id is not None else "cli"


async def set_active(
    session: AsyncSession,
    *,
    user: User,
    active: bool,
    now: datetime,
    actor_user_id: int | None = None,
) -> bool:
    """Deactivate or reactivate `user`; False (and nothing written) when already so."""
    if user.is_active == active:
        return False
    user.deactivated_at = None if active else now
    user.deactivation_told = False
    await record_audit(
        session,
        at=now,
        actor=_actor_name(actor_user_id),
        actor_user_id=actor_user_id,
        action="user.reactivate" if active else "user.deactivate",
        subject=f"user:{user.id}",
    )
    return True


async def remove_grant(
    session: AsyncSession, *, grant: RoleGrant, now: datetime, actor_user_id: int | None = None
) -> None:
    """Take one role away from its user."""
    user = await session.get(User, grant.user_id)
    await record_audit(
        session,
        at=now,
        actor=_actor_name(actor_user_id),
        actor_user_id=actor_user_id,
        action="role.remove",
        subject=f"user:{grant.user_id}",
        details={"role": grant.role, "scope": grant.scope_key, "grant": grant.id},
    )
    await session.delete(grant)
    await session.flush()
    if user is not None:
        await session.refresh(user, ["roles"])
