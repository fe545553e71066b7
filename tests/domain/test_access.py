"""Tests for domain.access: every role, every deed, on their own IPAL and on another."""

from __future__ import annotations

import pytest

from domain.access import Deed, Grant, Place, may
from domain.vocabulary import Role

# IPAL 1 lies in kalurahan 10 of kapanewon 100; IPAL 3 in kalurahan 30 of kapanewon 300.
OWN_IPAL = Place(ipal_id=1, kalurahan_id=10, kapanewon_id=100)
OTHER_IPAL = Place(ipal_id=3, kalurahan_id=30, kapanewon_id=300)
NEIGHBOUR_IPAL = Place(ipal_id=2, kalurahan_id=20, kapanewon_id=100)
"""Another kalurahan of the same kapanewon."""

GRANT = {
    Role.MEMBER: Grant(Role.MEMBER, ipal_id=1),
    Role.CHAIR: Grant(Role.CHAIR, ipal_id=1),
    Role.KALURAHAN_OFFICIAL: Grant(Role.KALURAHAN_OFFICIAL, kalurahan_id=10),
    Role.KAPANEWON_OFFICIAL: Grant(Role.KAPANEWON_OFFICIAL, kapanewon_id=100),
    Role.OPERATOR: Grant(Role.OPERATOR),
    Role.ADMIN: Grant(Role.ADMIN),
    Role.PARTNER: Grant(Role.PARTNER),
}
"""Each role held for IPAL 1 or the areas it lies in."""

# role, deed, allowed on their own IPAL, allowed on another IPAL
TABLE = [
    ("member", "report", True, False),
    ("member", "problem", True, False),
    ("member", "request_desludging", True, False),
    ("member", "status", True, False),
    ("member", "see_alerts", False, False),
    ("member", "follow_up", False, False),
    ("member", "handle_desludging", False, False),
    ("member", "cancel_desludging", True, False),
    ("member", "rate_desludging", True, False),
    ("member", "summary", False, False),
    ("member", "export", False, False),
    ("chair", "report", True, False),
    ("chair", "problem", True, False),
    ("chair", "request_desludging", True, False),
    ("chair", "status", True, False),
    ("chair", "see_alerts", False, False),
    ("chair", "follow_up", False, False),
    ("chair", "handle_desludging", False, False),
    ("chair", "cancel_desludging", True, False),
    ("chair", "rate_desludging", True, False),
    ("chair", "summary", False, False),
    ("chair", "export", False, False),
    ("kalurahan_official", "report", False, False),
    ("kalurahan_official", "problem", False, False),
    ("kalurahan_official", "request_desludging", False, False),
    ("kalurahan_official", "status", False, False),
    ("kalurahan_official", "see_alerts", True, False),
    ("kalurahan_official", "follow_up", True, False),
    ("kalurahan_official", "handle_desludging", False, False),
    ("kalurahan_official", "cancel_desludging", False, False),
    ("kalurahan_official", "rate_desludging", False, False),
    ("kalurahan_official", "summary", True, False),
    ("kalurahan_official", "export", True, False),
    ("kapanewon_official", "report", False, False),
    ("kapanewon_official", "problem", False, False),
    ("kapanewon_official", "request_desludging", False, False),
    ("kapanewon_official", "status", False, False),
    ("kapanewon_official", "see_alerts", True, False),
    ("kapanewon_official", "follow_up", True, False),
    ("kapanewon_official", "handle_desludging", False, False),
    ("kapanewon_official", "cancel_desludging", False, False),
    ("kapanewon_official", "rate_desludging", False, False),
    ("kapanewon_official", "summary", True, False),
    ("kapanewon_official", "export", True, False),
    ("operator", "report", False, False),
    ("operator", "problem", False, False),
    ("operator", "request_desludging", False, False),
    ("operator", "status", False, False),
    ("operator", "see_alerts", False, False),
    ("operator", "follow_up", False, False),
    ("operator", "handle_desludging", True, True),
    ("operator", "cancel_desludging", False, False),
    ("operator", "rate_desludging", False, False),
    ("operator", "summary", False, False),
    ("operator", "export", False, False),
    ("admin", "report", True, True),
    ("admin", "problem", True, True),
    ("admin", "request_desludging", True, True),
    ("admin", "status", True, True),
    ("admin", "see_alerts", True, True),
    ("admin", "follow_up", True, True),
    ("admin", "handle_desludging", True, True),
    ("admin", "cancel_desludging", True, True),
    ("admin", "rate_desludging", True, True),
    ("admin", "summary", True, True),
    ("admin", "export", True, True),
    ("member", "send_notice", False, False),
    ("chair", "send_notice", False, False),
    ("kalurahan_official", "send_notice", False, False),
    ("kapanewon_official", "send_notice", False, False),
    ("operator", "send_notice", False, False),
    ("admin", "send_notice", True, True),
    ("partner", "report", False, False),
    ("partner", "problem", False, False),
    ("partner", "request_desludging", False, False),
    ("partner", "status", False, False),
    ("partner", "see_alerts", False, False),
    ("partner", "handle_desludging", False, False),
    ("partner", "send_notice", False, False),
    ("partner", "follow_up", False, False),
    ("partner", "cancel_desludging", False, False),
    ("partner", "rate_desludging", False, False),
    ("partner", "summary", False, False),
    ("partner", "export", False, False),
]

# role, deed, the area asked about (no IPAL), allowed
AREA_TABLE = [
    ("kalurahan_official", "see_alerts", Place(kalurahan_id=10, kapanewon_id=100), True),
    ("kalurahan_official", "see_alerts", Place(kalurahan_id=20, kapanewon_id=100), False),
    ("kalurahan_official", "see_alerts", Place(kapanewon_id=100), False),
    ("kapanewon_official", "see_alerts", Place(kapanewon_id=100), True),
    ("kapanewon_official", "see_alerts", Place(kalurahan_id=20, kapanewon_id=100), True),
    ("kapanewon_official", "see_alerts", Place(kapanewon_id=300), False),
    ("kalurahan_official", "follow_up", Place(kalurahan_id=10, kapanewon_id=100), True),
    ("kalurahan_official", "follow_up", Place(kalurahan_id=20, kapanewon_id=100), False),
    ("kapanewon_official", "follow_up", Place(kalurahan_id=20, kapanewon_id=100), True),
    ("kapanewon_official", "follow_up", Place(kapanewon_id=300), False),
    ("member", "status", Place(kalurahan_id=10, kapanewon_id=100), False),
    ("admin", "see_alerts", Place(kapanewon_id=300), True),
    ("kalurahan_official", "summary", Place(kalurahan_id=10, kapanewon_id=100), True),
    ("kalurahan_official", "export", Place(kalurahan_id=20, kapanewon_id=100), False),
    ("kapanewon_official", "export", Place(kapanewon_id=100), True),
    ("kapanewon_official", "summary", Place(kapanewon_id=300), False),
    ("admin", "export", Place(), True),
]

CASES = [
    *((role, deed, OWN_IPAL, own) for role, deed, own, _ in TABLE),
    *((role, deed, OTHER_IPAL, other) for role, deed, _, other in TABLE),
    *AREA_TABLE,
]


@pytest.mark.parametrize(("role", "deed", "place", "allowed"), CASES)
def test_access(role: str, deed: str, place: Place, allowed: bool) -> None:
    """One role's grant allows the deed at the place exactly as the table says."""
    assert may([GRANT[Role(role)]], Deed(deed), place) is allowed


def test_table_covers_every_role_and_deed() -> None:
    """Each (role, deed) pair is in the table once, so no combination is left unstated."""
    pairs = [(role, deed) for role, deed, _, _ in TABLE]
    assert sorted(pairs) == sorted((role.value, deed.value) for role in Role for deed in Deed)
    print(f"{len(CASES)} access cases")
    assert len(CASES) == 2 * len(Role) * len(Deed) + len(AREA_TABLE)


def test_kalurahan_official_does_not_see_the_neighbouring_kalurahan() -> None:
    """Same kapanewon, other kalurahan: the kapanewon official sees it, the kalurahan one not."""
    assert not may([GRANT[Role.KALURAHAN_OFFICIAL]], Deed.SEE_ALERTS, NEIGHBOUR_IPAL)
    assert may([GRANT[Role.KAPANEWON_OFFICIAL]], Deed.SEE_ALERTS, NEIGHBOUR_IPAL)


def test_several_grants_allow_what_any_of_them_allows() -> None:
    """A member of IPAL 1 who is also an operator may report there and handle requests."""
    grants = [GRANT[Role.MEMBER], GRANT[Role.OPERATOR]]
    assert may(grants, Deed.REPORT, OWN_IPAL)
    assert may(grants, Deed.HANDLE_DESLUDGING, OTHER_IPAL)
    assert not may(grants, Deed.REPORT, OTHER_IPAL)


def test_missing_ids_never_match() -> None:
    """A grant without its scope matches nothing, even a place without that id; no grants
    allow nothing."""
    assert not may([Grant(Role.MEMBER)], Deed.REPORT, Place())
    assert not may([Grant(Role.KALURAHAN_OFFICIAL)], Deed.SEE_ALERTS, Place(kapanewon_id=100))
    assert not may([], Deed.STATUS, OWN_IPAL)
