"""Who may do what, and where: the one rule every handler and button asks.

In plain words:

- a KSM member or chair works on their own IPAL: the monthly report, a problem report, a
  desludging request, its status, cancelling that request and rating the desludging done;
- a kalurahan official sees the alerts, the summary and the export of the IPALs in their
  kalurahan, a kapanewon official those in their kapanewon, and follows their problems up
  (acknowledges, resolves, lists them);
- an operator handles desludging requests, in every area;
- an admin may do everything, everywhere, and is the only one to send notices;
- a partner (AKSANSI, the Forum Kabupaten Sehat…) only receives notices.

Plain data in (the user's grants with their scopes as ids, and the place asked about), no
database: the caller reads both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.vocabulary import Role


class Deed(StrEnum):
    """What a user wants to do on an IPAL or an area."""

    REPORT = "report"  # the monthly report
    PROBLEM = "problem"  # a quick problem report
    REQUEST_DESLUDGING = "request_desludging"
    STATUS = "status"  # see the IPAL's status
    SEE_ALERTS = "see_alerts"
    FOLLOW_UP = "follow_up"  # acknowledge, resolve and list the problems of an area
    HANDLE_DESLUDGING = "handle_desludging"  # schedule, reject or record a request done
    CANCEL_DESLUDGING = "cancel_desludging"  # the KSM withdraws its own request
    RATE_DESLUDGING = "rate_desludging"  # stars and a checklist once it is done
    SUMMARY = "summary"  # the area's summary with its chart (`/rekap`)
    EXPORT = "export"  # the area's data as a workbook (`/ekspor`)
    SEND_NOTICE = "send_notice"  # a notice to an audience, its RSVP list (admins only)


IPAL_DEEDS = frozenset(
    {
        Deed.REPORT,
        Deed.PROBLEM,
        Deed.REQUEST_DESLUDGING,
        Deed.STATUS,
        Deed.CANCEL_DESLUDGING,
        Deed.RATE_DESLUDGING,
    }
)
"""What a member or chair may do on their own IPAL."""

AREA_DEEDS = frozenset({Deed.SEE_ALERTS, Deed.FOLLOW_UP, Deed.SUMMARY, Deed.EXPORT})
"""What a kalurahan or kapanewon official may do in their own area."""


@dataclass(frozen=True)
class Grant:
    """One role and its scope: the IPAL of a member or chair, the area of an official."""

    role: Role
    ipal_id: int | None = None
    kalurahan_id: int | None = None
    kapanewon_id: int | None = None


@dataclass(frozen=True)
class Place:
    """What is asked about: an IPAL (with its kalurahan and kapanewon), or an area alone."""

    ipal_id: int | None = None
    kalurahan_id: int | None = None
    kapanewon_id: int | None = None


def may(grants: Iterable[Grant], deed: Deed, place: Place) -> bool:
    """Whether any of these grants allows `deed` at `place`."""
    return any(_grant_allows(grant, deed, place) for grant in grants)


def _grant_allows(grant: Grant, deed: Deed, place: Place) -> bool:
    if grant.role is Role.ADMIN:
        return True
    if grant.role in (Role.MEMBER, Role.CHAIR):
        return deed in IPAL_DEEDS and _same(grant.ipal_id, place.ipal_id)
    if grant.role is Role.KALURAHAN_OFFICIAL:
        return deed in AREA_DEEDS and _same(grant.kalurahan_id, place.kalurahan_id)
    if grant.role is Role.KAPANEWON_OFFICIAL:
        return deed in AREA_DEEDS and _same(grant.kapanewon_id, place.kapanewon_id)
    if grant.role is Role.OPERATOR:
        return deed is Deed.HANDLE_DESLUDGING
    return False


def _same(scope_id: int | None, place_id: int | None) -> bool:
    """A scope matches only a known id, never a missing one."""
    return scope_id is not None and scope_id == place_id
