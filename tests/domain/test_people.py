"""Who may invite whom, and who may see or change which users."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.dates import WIB
from domain.joining import CodeProblem, code_problem
from domain.people import (
    Actor,
    Grant,
    invitable_roles,
    may_deactivate,
    may_invite,
    may_manage_people,
    may_remove_grant,
    may_see_grant,
    may_see_user,
    name_matches,
)
from domain.vocabulary import Role

ADMIN = Actor.of([Grant(Role.ADMIN)])
CHAIR = Actor.of([Grant(Role.CHAIR, ipal_id=1), Grant(Role.MEMBER, ipal_id=1)])
MEMBER = Actor.of([Grant(Role.MEMBER, ipal_id=1)])
OFFICIAL = Actor.of([Grant(Role.KAPANEWON_OFFICIAL, area_id=7)])


def test_admin_invites_for_every_role_anywhere() -> None:
    """An admin is offered every role and may scope it anywhere."""
    assert invitable_roles(ADMIN) == tuple(Role)
    assert may_invite(ADMIN, Role.CHAIR, ipal_id=2)
    assert may_invite(ADMIN, Role.OPERATOR, ipal_id=None)


def test_chair_invites_members_of_own_ipal_only() -> None:
    """A chair may invite members of the IPAL they chair, and nothing else."""
    assert invitable_roles(CHAIR) == (Role.MEMBER,)
    assert may_invite(CHAIR, Role.MEMBER, ipal_id=1)
    assert not may_invite(CHAIR, Role.MEMBER, ipal_id=2)
    assert not may_invite(CHAIR, Role.CHAIR, ipal_id=1)
    assert not may_invite(CHAIR, Role.MEMBER, ipal_id=None)


def test_members_and_officials_manage_nobody() -> None:
    """Neither a member nor an official has /undang or /pengguna."""
    for actor in (MEMBER, OFFICIAL):
        assert not may_manage_people(actor)
        assert invitable_roles(actor) == ()
        assert not may_invite(actor, Role.MEMBER, ipal_id=1)
    assert may_manage_people(ADMIN)
    assert may_manage_people(CHAIR)


def test_chair_sees_and_removes_members_of_own_ipal_only() -> None:
    """A chair sees a member of their IPAL and may remove that membership, not others."""
    own = Grant(Role.MEMBER, ipal_id=1)
    other = Grant(Role.MEMBER, ipal_id=2)
    assert may_see_user(CHAIR, [own])
    assert not may_see_user(CHAIR, [other])
    assert not may_see_user(CHAIR, [Grant(Role.CHAIR, ipal_id=1)])
    assert may_remove_grant(CHAIR, own)
    assert not may_remove_grant(CHAIR, other)
    assert not may_remove_grant(CHAIR, Grant(Role.CHAIR, ipal_id=1))
    assert may_see_grant(CHAIR, own)
    assert not may_see_grant(CHAIR, Grant(Role.KALURAHAN_OFFICIAL, area_id=3))


def test_only_admins_deactivate_and_see_everyone() -> None:
    """Admins see every user and grant; only they deactivate."""
    assert may_deactivate(ADMIN)
    assert not may_deactivate(CHAIR)
    assert may_see_user(ADMIN, [])
    assert may_remove_grant(ADMIN, Grant(Role.KAPANEWON_OFFICIAL, area_id=7))


def test_name_matches_every_word_in_any_name() -> None:
    """Each word of the search is found in the first name, last name or username."""
    assert name_matches("sri", "Sri", "Rahayu", None)
    assert name_matches("RAHAYU sri", "Sri", "Rahayu", "sri_r")
    assert not name_matches("budi", "Sri", "Rahayu", None)


def test_revoked_code_answers_like_expired() -> None:
    """A revoked code is expired, whatever its uses and end."""
    now = datetime(2026, 12, 1, 9, tzinfo=WIB)
    later = now + timedelta(days=3)
    assert code_problem(expires_at=later, max_uses=5, uses=0, now=now) is None
    revoked = code_problem(expires_at=later, max_uses=5, uses=0, now=now, revoked=True)
    assert revoked is CodeProblem.EXPIRED
