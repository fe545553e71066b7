"""Who may invite whom, and who may see or change which users: plain rules on plain values.

An admin invites for any role and manages every user. A KSM chair invites members of the IPALs
they chair, sees the members of those IPALs and may take a member's membership away; nothing
else. Everyone else may do neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.vocabulary import Role

USES_CHOICES = (1, 5, 10, 30)
"""How many people an invitation made in the bot may join."""

EXPIRY_DAYS_CHOICES = (1, 7, 30)
"""How many days an invitation made in the bot stays valid."""


@dataclass(frozen=True)
class Grant:
    """One role a user holds, reduced to what the rules look at."""

    role: Role
    ipal_id: int | None = None
    area_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who is asking: the roles they hold and the IPALs they chair."""

    roles: frozenset[Role]
    chaired_ipals: frozenset[int]

    @classmethod
    def of(cls, grants: Iterable[Grant]) -> Actor:
        held = list(grants)
        return cls(
            roles=frozenset(grant.role for grant in held),
            chaired_ipals=frozenset(
                grant.ipal_id
                for grant in held
                if grant.role is Role.CHAIR and grant.ipal_id is not None
            ),
        )

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_chair(self) -> bool:
        return bool(self.chaired_ipals)


def may_manage_people(actor: Actor) -> bool:
    """Admins and chairs have `/undang` and `/pengguna`."""
    return actor.is_admin or actor.is_chair


def invitable_roles(actor: Actor) -> tuple[Role, ...]:
    """The roles `actor` may create invitations for, in the order they are offered."""
    if actor.is_admin:
        return tuple(Role)
    return (Role.MEMBER,) if actor.is_chair else ()


def may_invite(actor: Actor, role: Role, *, ipal_id: int | None) -> bool:
    """An admin for any role; a chair only for members of an IPAL they chair."""
    if actor.is_admin:
        return True
    return role is Role.MEMBER and ipal_id is not None and ipal_id in actor.chaired_ipals


def may_see_user(actor: Actor, grants: Iterable[Grant]) -> bool:
    """An admin sees everyone; a chair only members of the IPALs they chair."""
    if actor.is_admin:
        return True
    return any(_chaired_membership(actor, grant) for grant in grants)


def may_remove_grant(actor: Actor, grant: Grant) -> bool:
    """An admin removes any role; a chair only a membership of an IPAL they chair."""
    return actor.is_admin or _chaired_membership(actor, grant)


def may_deactivate(actor: Actor) -> bool:
    """Only admins turn a user off or on again."""
    return actor.is_admin


def may_see_grant(actor: Actor, grant: Grant) -> bool:
    """An admin is shown every role of a user; a chair only those at the IPALs they chair."""
    return actor.is_admin or grant.ipal_id in actor.chaired_ipals


def _chaired_membership(actor: Actor, grant: Grant) -> bool:
    return grant.role is Role.MEMBER and grant.ipal_id in actor.chaired_ipals


def name_matches(query: str, *names: str | None) -> bool:
    """Every word of `query` is found in one of the names (case-insensitive)."""
    haystack = " ".join(name for name in names if name).casefold()
    return all(word in haystack for word in query.casefold().split())
