"""Invitations that grant roles, and the guard against guessing their codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger, ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.errors import InputError
from domain.joining import CodeProblem, code_problem, lock_after_failure, new_code
from domain.vocabulary import Role
from models.areas import Area, Ipal
from models.audit import record_audit
from models.base import Base
from models.users import AREA_ROLES, IPAL_ROLES, Profile, RoleGrant, User


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(24))
    ipal_id: Mapped[int | None] = mapped_column(ForeignKey("ipals.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    max_uses: Mapped[int]
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]
    organisation: Mapped[str | None] = mapped_column(String(120))
    """Given to the role it grants, shown with the user's name in lists."""

    ipal: Mapped[Ipal | None] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")


class JoinGuard(Base):
    """Wrong invitation codes per Telegram user, so guessing codes is slowed down."""

    __tablename__ = "join_guards"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class InvitationError(InputError):
    """An invitation that can't be made as asked; the key names what is wrong."""


class InvalidScopeError(InvitationError):
    """The role's IPAL or area is missing or of the wrong kind."""


def scope_key(*, ipal_id: int | None, area_id: int | None) -> str:
    if ipal_id is not None:
        return f"ipal:{ipal_id}"
    return f"area:{area_id}" if area_id is not None else "-"


def check_scope(role: Role, *, ipal: Ipal | None, area: Area | None) -> None:
    """Member and chair need an IPAL; officials need an area of their level; others neither."""
    if role in IPAL_ROLES and ipal is None:
        raise InvalidScopeError("cli-scope-needs-ipal", {"role": role.cli_name})
    if role in AREA_ROLES:
        level, key = (
            ("kalurahan", "cli-scope-needs-kalurahan")
            if role is Role.KALURAHAN_OFFICIAL
            else ("kapanewon", "cli-scope-needs-kapanewon")
        )
        if area is None or area.level != level:
            raise InvalidScopeError(key, {"role": role.cli_name})
    if role not in IPAL_ROLES | AREA_ROLES and (ipal is not None or area is not None):
        raise InvalidScopeError("cli-scope-none", {"role": role.cli_name})


ORGANISATION_LENGTH = 120


def clean_organisation(organisation: str | None) -> str | None:
    """The organisation with its spaces tidied; None when blank; refused when too long."""
    if organisation is None or not organisation.strip():
        return None
    cleaned = " ".join(organisation.split())
    if len(cleaned) > ORGANISATION_LENGTH:
        raise InvitationError("cli-organisation-too-long", {"limit": ORGANISATION_LENGTH})
    return cleaned


async def create_invitation(
    session: AsyncSession,
    *,
    role: Role,
    ipal: Ipal | None,
    area: Area | None,
    max_uses: int,
    expires_in: timedelta | None,
    now: datetime,
    created_by: User | None = None,
    organisation: str | None = None,
) -> Invitation:
    check_scope(role, ipal=ipal, area=area)
    if max_uses < 1:
        raise InvitationError("cli-uses-min")
    invitation = Invitation(
        code=new_code(),
        role=role.value,
        ipal_id=ipal.id if ipal else None,
        area_id=area.id if area else None,
        created_by_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=now + expires_in if expires_in else None,
        max_uses=max_uses,
        uses=0,
        organisation=clean_organisation(organisation),
    )
    session.add(invitation)
    await session.flush()
    await record_audit(
        session,
        at=now,
        actor="bot" if created_by else "cli",
        actor_user_id=created_by.id if created_by else None,
        action="invitation.create",
        subject=f"invitation:{invitation.id}",
        details={"role": role.value, "max_uses": max_uses},
    )
    return invitation


async def find_invitation(session: AsyncSession, *, code: str) -> Invitation | None:
    return await session.scalar(select(Invitation).where(Invitation.code == code))


async def lockout_until(
    session: AsyncSession, *, telegram_id: int, now: datetime
) -> datetime | None:
    guard = await session.get(JoinGuard, telegram_id)
    if guard is None or guard.locked_until is None or guard.locked_until <= now:
        return None
    return guard.locked_until


async def record_failed_code(
    session: AsyncSession, *, telegram_id: int, now: datetime, max_failures: int, lockout: timedelta
) -> datetime | None:
    """Count a wrong code; returns the end of the lock-out when this failure starts one."""
    guard = await session.get(JoinGuard, telegram_id)
    if guard is None:
        guard = JoinGuard(telegram_id=telegram_id, failures=0)
        session.add(guard)
    if guard.locked_until is not None and guard.locked_until <= now:
        guard.failures, guard.locked_until = 0, None
    guard.failures += 1
    guard.last_failure_at = now
    guard.locked_until = lock_after_failure(
        failures=guard.failures, max_failures=max_failures, lockout=lockout, now=now
    )
    return guard.locked_until


async def redeem_invitation(
    session: AsyncSession, *, invitation: Invitation, profile: Profile, now: datetime
) -> tuple[User, RoleGrant | None] | CodeProblem:
    """Join the user (creating them) with the invitation's role; None grant if already held."""
    problem = code_problem(
        expires_at=invitation.expires_at,
        max_uses=invitation.max_uses,
        uses=invitation.uses,
        now=now,
        revoked=invitation.revoked_at is not None,
    )
    if problem is not None:
        return problem
    user = await session.scalar(select(User).where(User.telegram_id == profile.telegram_id))
    if user is not None and not user.is_active:
        return CodeProblem.DEACTIVATED
    if user is None:
        user = User(
            telegram_id=profile.telegram_id,
            first_name=profile.first_name,
            last_name=profile.last_name,
            username=profile.username,
            language=profile.language,
            is_blocked=False,
            deactivation_told=False,
            created_at=now,
            last_seen_at=now,
            roles=[],
        )
        session.add(user)
        await session.flush()
    key = scope_key(ipal_id=invitation.ipal_id, area_id=invitation.area_id)
    if any(grant.role == invitation.role and grant.scope_key == key for grant in user.roles):
        return user, None
    grant = RoleGrant(
        user_id=user.id,
        role=invitation.role,
        ipal_id=invitation.ipal_id,
        area_id=invitation.area_id,
        scope_key=key,
        invitation_id=invitation.id,
        granted_at=now,
        organisation=invitation.organisation,
    )
    session.add(grant)
    invitation.uses += 1
    await session.flush()
    await session.refresh(grant, ["ipal", "area"])
    await session.refresh(user, ["roles"])
    await record_audit(
        session,
        at=now,
        actor_user_id=user.id,
        action="invitation.redeem",
        subject=f"invitation:{invitation.id}",
        details={"role": invitation.role, "grant": grant.id},
    )
    return user, grant


def is_active(invitation: Invitation, *, now: datetime) -> bool:
    """Not revoked, not expired, not used up."""
    problem = code_problem(
        expires_at=invitation.expires_at,
        max_uses=invitation.max_uses,
        uses=invitation.uses,
        now=now,
        revoked=invitation.revoked_at is not None,
    )
    return problem is None


async def list_invitations(
    session: AsyncSession, *, now: datetime, active_only: bool = False
) -> list[Invitation]:
    """Invitations oldest first; only those that can still be used when `active_only`."""
    invitations = list(await session.scalars(select(Invitation).order_by(Invitation.id)))
    return [i for i in invitations if not active_only or is_active(i, now=now)]


async def revoke_invitation(
    session: AsyncSession, *, code: str, now: datetime, actor_user_id: int | None = None
) -> Invitation | None:
    """Stop the code from working (it then answers like an expired one); None if unknown."""
    invitation = await find_invitation(session, code=code.strip().upper())
    if invitation is None:
        return None
    if invitation.revoked_at is None:
        invitation.revoked_at = now
        await record_audit(
            session,
            at=now,
            actor="bot" if actor_user_id is not None else "cli",
            actor_user_id=actor_user_id,
            action="invitation.revoke",
            subject=f"invitation:{invitation.id}",
        )
    return invitation
