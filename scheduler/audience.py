"""Who a reminder goes to: the members of IPALs, the officials of areas, the admins.

Everyone here is active and has not blocked the bot; reminders a user turned off for
themselves are left out by `kind` (escalations pass no kind: they cannot be turned off). Each
is one set query for all the IPALs or areas asked about, and yields only what a message needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reminders import ReminderKind
from domain.vocabulary import Role
from models.reminders import wants
from models.users import IPAL_ROLES, RoleGrant, User


class Reachable(NamedTuple):
    """Who a reminder goes to: the user, their chat and their language."""

    id: int
    telegram_id: int
    language: str


COLUMNS = (User.id, User.telegram_id, User.language)


def _reachable(kind: ReminderKind | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        User.is_blocked.is_(False),
        User.deactivated_at.is_(None),
    ]
    if kind is not None:
        conditions.append(wants(kind))
    return conditions


def members_query(
    ipal_ids: Collection[int], kind: ReminderKind | None
) -> Select[int | None, int, int, str]:
    """The reachable members and chairs of these IPALs (IPAL id, user id, chat, language)."""
    return (
        select(RoleGrant.ipal_id, *COLUMNS)
        .join(User, User.id == RoleGrant.user_id)
        .where(
            RoleGrant.ipal_id.in_(list(ipal_ids)),
            RoleGrant.role.in_([role.value for role in IPAL_ROLES]),
            *_reachable(kind),
        )
        .order_by(RoleGrant.ipal_id, User.id)
    )


async def members_of(
    session: AsyncSession, *, ipal_ids: Collection[int], kind: ReminderKind | None
) -> dict[int | None, list[Reachable]]:
    """The members and chairs of each IPAL, each once, oldest first."""
    if not ipal_ids:
        return {}
    return _grouped(await session.execute(members_query(ipal_ids, kind)))


async def holders_of(
    session: AsyncSession,
    *,
    role: Role,
    area_ids: Collection[int] | None = None,
    kind: ReminderKind | None = None,
) -> dict[int | None, list[Reachable]]:
    """The holders of `role` by the area of their grant (None for district-wide roles)."""
    query = (
        select(RoleGrant.area_id, *COLUMNS)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == role.value, *_reachable(kind))
        .order_by(RoleGrant.area_id, User.id)
    )
    if area_ids is not None:
        query = query.where(RoleGrant.area_id.in_(list(area_ids)))
    return _grouped(await session.execute(query))


def _grouped(rows: Iterable[Any]) -> dict[int | None, list[Reachable]]:
    found: dict[int | None, dict[int, Reachable]] = defaultdict(dict)
    for scope_id, user_id, telegram_id, language in rows:
        found[scope_id].setdefault(user_id, Reachable(user_id, telegram_id, language))
    return {scope_id: list(users.values()) for scope_id, users in found.items()}
