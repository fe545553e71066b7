"""Which area a summary or an export is about, who may see it, and how it is named.

An admin starts with the whole district and may switch to any kapanewon; a kapanewon official
sees their kapanewon; a kalurahan official their kalurahan, and may switch to one of its IPALs.
An area travels in buttons as a level letter and an id (`d`, `k`, `l`, `i`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import Html, Texts
from bot.turn import Turn
from domain.access import Deed, Place, may
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area_by_id, list_areas, load_ipal, place_of
from models.summaries import Scope, ipals_in
from models.users import User, grants_of, roles_of

DISTRICT, KAPANEWON, KALURAHAN, IPAL = "d", "k", "l", "i"
MAX_SWITCHES = 12
"""Buttons to other areas under one summary (a kalurahan has a handful of IPALs)."""


@dataclass(frozen=True)
class Asked:
    """An area as asked about: its scope, its level and id for buttons, and its name."""

    scope: Scope
    level: str
    area_id: int | None
    name: Html
    plain_name: str


def home_of(user: User) -> tuple[str, int | None] | None:
    """The area a user's summary starts with, or None when they may see none."""
    if Role.ADMIN in roles_of(user):
        return DISTRICT, None
    for grant in user.roles:
        if grant.role == Role.KAPANEWON_OFFICIAL and grant.area_id is not None:
            return KAPANEWON, grant.area_id
    for grant in user.roles:
        if grant.role == Role.KALURAHAN_OFFICIAL and grant.area_id is not None:
            return KALURAHAN, grant.area_id
    return None


async def resolve(turn: Turn, user: User, deed: Deed, level: str, area_id: int) -> Asked | None:
    """The area if it exists and the user may do `deed` there, else None."""
    texts, session = turn.texts, turn.session
    if level == DISTRICT:
        if not may(grants_of(user), deed, Place()):
            return None
        return _asked(texts, Scope(), level, None, "rekap-area-district")
    if level == IPAL:
        ipal = await load_ipal(session, ipal_id=area_id)
        if ipal is None or not may(grants_of(user), deed, place_of(ipal)):
            return None
        return _asked(texts, Scope(ipal_id=ipal.id), level, ipal.id, "rekap-area-ipal",
                      name=ipal.name, code=ipal.code)  # fmt: skip
    area = await find_area_by_id(session, area_id=area_id)
    wanted = AreaLevel.KAPANEWON if level == KAPANEWON else AreaLevel.KALURAHAN
    if area is None or area.level != wanted or level not in (KAPANEWON, KALURAHAN):
        return None
    if level == KAPANEWON:
        place, scope = Place(kapanewon_id=area.id), Scope(kapanewon_id=area.id)
    else:
        place = Place(kalurahan_id=area.id, kapanewon_id=area.parent_id)
        scope = Scope(kalurahan_id=area.id)
    if not may(grants_of(user), deed, place):
        return None
    return _asked(texts, scope, level, area.id, f"rekap-area-{wanted.value}", name=area.name)


def _asked(
    texts: Texts, scope: Scope, level: str, area_id: int | None, key: str, **names: str
) -> Asked:
    return Asked(scope, level, area_id, texts(key, **names), texts.plain(key, **names))


async def switches(turn: Turn, user: User, asked: Asked) -> list[tuple[str, str, int]]:
    """(label, level, id) of the other areas the user may switch to from `asked`."""
    texts, session = turn.texts, turn.session
    home = home_of(user)
    choices: list[tuple[str, str, int]] = []
    if asked.level == DISTRICT:
        for area in await list_areas(session, level=AreaLevel.KAPANEWON):
            choices.append((area.name, KAPANEWON, area.id))
    elif asked.level == KALURAHAN:
        for ipal_id, code, name in await ipals_in(session, scope=asked.scope):
            choices.append((f"{name} ({code})", IPAL, ipal_id))
    if home is not None and (asked.level, asked.area_id) != home:
        back = await resolve(turn, user, Deed.SUMMARY, home[0], home[1] or 0)
        if back is not None:
            label = texts.plain("rekap-button-whole", area=back.plain_name)
            choices.append((label, home[0], home[1] or 0))
    return choices[:MAX_SWITCHES]
