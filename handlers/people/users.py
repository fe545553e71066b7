"""`/pengguna`: an admin finds users (by name, role, kapanewon), sees their roles and when
they were last active, deactivates or reactivates them, or removes one role; a KSM chair sees
the members of their IPAL and may remove a membership.

    /pengguna [NAME] → [filter →] list → user → deactivate | reactivate | remove a role

Buttons are `1|u|action|arg|…`: `l` list (filter `-`, `r<role>`, `a<kapanewon id>`), `v` view,
`d` deactivate, `e` reactivate, `x` remove a grant. Each press checks again, from the database,
that the presser may see or change that user; otherwise it is refused and changes nothing.
"""

from __future__ import annotations

import re

from bot.callbacks import people_button
from bot.keyboards import InlineRows
from bot.texts import Html, Texts, escape, join
from bot.turn import Turn, handler, require_joined
from domain.dates import format_datetime_wib
from domain.people import (
    Actor,
    may_deactivate,
    may_manage_people,
    may_remove_grant,
    may_see_grant,
    may_see_user,
)
from domain.vocabulary import Role
from handlers.joining import describe_grant
from handlers.people.guard import pressed, refresh_menu, refuse, show
from models.areas import AreaLevel, find_area_by_id, list_areas
from models.users import (
    RoleGrant,
    User,
    actor_of,
    find_grant,
    find_user,
    list_users,
    remove_grant,
    rule_grant,
    set_active,
)

ALL = "-"
VIEW_SHAPE = re.compile(r"r[a-z_]{1,18}|a[0-9]{1,9}")
MAX_LISTED = 20


@handler
async def start_people(turn: Turn) -> None:
    """Search users by the name after the command, or offer the filters."""
    message = turn.update.effective_message
    name = " ".join((message.text or "").split()[1:]) if message else ""
    await people_menu(turn, name)


async def people_menu(turn: Turn, name: str = "") -> None:
    user = await require_joined(turn)
    if user is None:
        return
    actor = actor_of(user)
    if not may_manage_people(actor):
        await turn.reply(turn.texts("people-not-allowed"))
    elif name or not actor.is_admin:
        await show_list(turn, actor, ALL, name)
    else:
        await show_filters(turn)


async def show_filters(turn: Turn) -> None:
    texts = turn.texts
    options: list[tuple[str, str]] = [(texts("people-filter-all"), ALL)]
    options += [(texts(f"role-{role}"), f"r{role.value}") for role in Role]
    kapanewons = await list_areas(turn.session, level=AreaLevel.KAPANEWON)
    options += [(f"📍 {area.name}", f"a{area.id}") for area in kapanewons]
    rows = [[(label, people_button("l", value))] for label, value in options]
    await show(turn, texts("people-filters"), rows)


async def show_list(turn: Turn, actor: Actor, view: str, name: str = "") -> bool:
    """The users of filter `view` the actor may see; False when the filter is not theirs."""
    if actor.is_admin:
        found = await read_filter(turn, view)
        if found is None:
            return False
        role, area_id = found
        users = await list_users(turn.session, role=role, area_id=area_id, name=name)
    elif view == ALL:
        users = await list_users(
            turn.session, role=Role.MEMBER, ipal_ids=actor.chaired_ipals, name=name
        )
    else:
        return False
    await show(turn, list_text(turn.texts, len(users)), user_rows(users, view if not name else ALL))
    return True


async def read_filter(turn: Turn, view: str) -> tuple[Role | None, int | None] | None:
    """(role, kapanewon id) of an admin's filter, or None when it is malformed."""
    kind, value = view[:1], view[1:]
    if view == ALL:
        return None, None
    if kind == "r" and value in Role._value2member_map_:
        return Role(value), None
    if kind == "a" and value.isdigit():
        area = await find_area_by_id(turn.session, area_id=int(value))
        if area is not None and area.level == AreaLevel.KAPANEWON:
            return None, area.id
    return None


def list_text(texts: Texts, count: int) -> Html:
    if count == 0:
        return texts("people-none")
    if count > MAX_LISTED:
        return texts("people-found-more", count=count, shown=MAX_LISTED)
    return texts("people-found", count=count)


def user_rows(users: list[User], view: str) -> InlineRows:
    return [
        [
            (
                ("" if user.is_active else "⛔ ") + user.listed_name,
                people_button("v", str(user.id), view),
            )
        ]
        for user in users[:MAX_LISTED]
    ]


async def show_user(
    turn: Turn, viewer: User, target: User, view: str, note: Html | None = None
) -> None:
    """The user's name, status, last activity and the roles the viewer may see, with buttons."""
    texts, actor = turn.texts, actor_of(viewer)
    grants = [grant for grant in target.roles if may_see_grant(actor, rule_grant(grant))]
    roles = join(join([escape("• "), describe_grant(texts, grant)], "") for grant in grants)
    status = (
        texts("people-status-active")
        if target.deactivated_at is None
        else texts("people-status-deactivated", since=deactivated_since(texts, target))
    )
    text = texts(
        "people-user",
        name=target.display_name,
        username=f"@{target.username}" if target.username else "",
        status=status,
        seen=format_datetime_wib(target.last_seen_at, texts.language),
        roles=roles if grants else texts("people-no-roles"),
    )
    rows: list[list[tuple[str, str]]] = [
        [
            (
                texts("people-button-remove", role=texts(f"role-{grant.role}")),
                people_button("x", str(grant.id), view),
            )
        ]
        for grant in grants
        if may_remove_grant(actor, rule_grant(grant))
    ]
    if may_deactivate(actor) and target.id != viewer.id:
        action, label = (
            ("d", "people-button-deactivate")
            if target.is_active
            else ("e", "people-button-reactivate")
        )
        rows.append([(texts(label), people_button(action, str(target.id), view))])
    rows.append([(texts("people-button-back"), people_button("l", view))])
    await show(turn, join([note, text], "\n\n") if note else text, rows)


def deactivated_since(texts: Texts, target: User) -> str:
    assert target.deactivated_at is not None
    return format_datetime_wib(target.deactivated_at, texts.language)


@handler
async def press_people(turn: Turn) -> None:
    """List, show or change a user, after checking the presser may."""
    user = await require_joined(turn)
    if user is None:
        return
    data, actor = pressed(turn), actor_of(user)
    if data is not None and may_manage_people(actor) and await act(turn, user, actor, data.args):
        await turn.answer_button()
    else:
        await refuse(turn, user)


async def act(turn: Turn, user: User, actor: Actor, args: tuple[str, ...]) -> bool:
    """Do what the button says; False when it is malformed or not the presser's to press."""
    action, ident, view = (*args, ALL, ALL)[:3] if args else ("", "", ALL)
    if len(args) > 3 or not valid_view(actor, view):
        return False
    if action == "l" and len(args) == 2:
        return await show_list(turn, actor, ident)
    if not ident.isdigit() or len(ident) > 9:
        return False
    if action in ("v", "d", "e"):
        return await act_on_user(turn, user, actor, action, int(ident), view)
    if action == "x":
        return await take_role(turn, user, actor, int(ident), view)
    return False


def valid_view(actor: Actor, view: str) -> bool:
    """A list a button may lead back to: everyone's, or (admins) a role's or a kapanewon's."""
    return view == ALL or (actor.is_admin and VIEW_SHAPE.fullmatch(view) is not None)


async def act_on_user(
    turn: Turn, user: User, actor: Actor, action: str, target_id: int, view: str
) -> bool:
    target = await find_user(turn.session, user_id=target_id)
    if target is None or not may_see_user(actor, [rule_grant(g) for g in target.roles]):
        return False
    if action == "v":
        await show_user(turn, user, target, view)
        return True
    if not may_deactivate(actor) or target.id == user.id:
        return False
    active = action == "e"
    if await set_active(
        turn.session, user=target, active=active, now=turn.now, actor_user_id=user.id
    ):
        await refresh_menu(turn, target, "people-reactivated-notice" if active else None)
    note = turn.texts(
        "people-reactivated" if active else "people-deactivated", name=target.display_name
    )
    await show_user(turn, user, target, view, note)
    return True


async def take_role(turn: Turn, user: User, actor: Actor, grant_id: int, view: str) -> bool:
    grant: RoleGrant | None = await find_grant(turn.session, grant_id=grant_id)
    if grant is None or not may_remove_grant(actor, rule_grant(grant)):
        return False
    target = await find_user(turn.session, user_id=grant.user_id)
    if target is None:
        return False
    role = turn.texts(f"role-{grant.role}")
    removed = describe_grant(Texts(target.language), grant)
    await remove_grant(turn.session, grant=grant, now=turn.now, actor_user_id=user.id)
    await refresh_menu(turn, target, "people-your-role-removed", role=removed)
    note = turn.texts("people-role-removed", role=role, name=target.display_name)
    if may_see_user(actor, [rule_grant(g) for g in target.roles]):
        await show_user(turn, user, target, view, note)
    else:
        await show(turn, note, [[(turn.texts("people-button-back"), people_button("l", view))]])
    return True
