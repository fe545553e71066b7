"""`sanimas user list|deactivate|reactivate` and `sanimas invite list|revoke`."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.cli.commands import Command, _area, _ready_database
from bot.cli.console import Console
from bot.clock import SystemClock
from bot.features import menu_of
from bot.settings import Settings
from bot.user_menus import refresh_menu
from domain.dates import WIB
from domain.errors import InputError
from domain.joining import code_problem
from domain.vocabulary import Role
from handlers import features
from models.invitations import Invitation, list_invitations, revoke_invitation
from models.users import RoleGrant, User, find_user, list_users, set_active

TIME_FORMAT = "%Y-%m-%d %H:%M WIB"


def parse_role(text: str | None) -> Role | None:
    if text is None:
        return None
    try:
        return Role(text.replace("-", "_"))
    except ValueError:
        raise InputError(
            "cli-unknown-role",
            {"role": text, "roles": ", ".join(role.cli_name for role in Role)},
        ) from None


async def user_list(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    """One line per user: id, name, status, last active, roles."""
    database = await _ready_database(settings)
    try:
        role = parse_role(arguments.role)
        async with database.transaction() as session:
            area = await _area(session, arguments)
            users = await list_users(session, role=role, area_id=area.id if area else None)
            for user in users:
                console.line(user_line(console, user))
    except InputError as error:
        return console.refuse(error)
    finally:
        await database.dispose()
    if not users:
        console.say("cli-user-none")
    return 0


def user_line(console: Console, user: User) -> str:
    texts = console.texts
    status = (
        texts.plain("cli-user-inactive", since=_time(user.deactivated_at))
        if user.deactivated_at is not None
        else texts.plain("cli-user-active")
    )
    roles = ", ".join(grant_label(grant) for grant in user.roles) or "-"
    username = f"@{user.username}" if user.username else "-"
    seen = _time(user.last_seen_at)
    return f"{user.id}\t{user.listed_name}\t{username}\t{status}\t{seen}\t{roles}"


def grant_label(grant: RoleGrant) -> str:
    """`member KP-WTS-01`, `kalurahan-official Wates › Triharjo`, `admin`."""
    role = Role(grant.role).cli_name
    if grant.ipal is not None:
        return f"{role} {grant.ipal.code}"
    area = grant.area
    if area is not None:
        return f"{role} {area.parent.name} › {area.name}" if area.parent else f"{role} {area.name}"
    return role


async def user_deactivate(
    settings: Settings, arguments: argparse.Namespace, console: Console
) -> int:
    return await _set_active(settings, arguments, console, active=False)


async def user_reactivate(
    settings: Settings, arguments: argparse.Namespace, console: Console
) -> int:
    return await _set_active(settings, arguments, console, active=True)


async def _set_active(
    settings: Settings, arguments: argparse.Namespace, console: Console, *, active: bool
) -> int:
    clock = SystemClock(settings.clock.start)
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            user = await find_user(session, user_id=arguments.id)
            if user is None:
                return console.fail("cli-no-user", id=arguments.id)
            changed = await set_active(session, user=user, active=active, now=clock.now())
            if changed:
                notice = "people-reactivated-notice" if active else None
                await refresh_menu(
                    session, menu=menu_of(features()), user=user, now=clock.now(), key=notice
                )
    finally:
        await database.dispose()
    key = {
        (True, True): "cli-user-reactivated",
        (True, False): "cli-user-already-reactivated",
        (False, True): "cli-user-deactivated",
        (False, False): "cli-user-already-deactivated",
    }[active, changed]
    console.say(key, id=user.id, name=user.display_name)
    return 0


async def invite_list(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    """One line per invitation: code, role and scope, uses, expiry, state."""
    clock = SystemClock(settings.clock.start)
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            now = clock.now()
            invitations = await list_invitations(session, now=now, active_only=arguments.active)
            for invitation in invitations:
                console.line(invitation_line(console, invitation, now=now))
    finally:
        await database.dispose()
    if not invitations:
        console.say("cli-invitation-none")
    return 0


def invitation_line(console: Console, invitation: Invitation, *, now: datetime) -> str:
    texts = console.texts
    scope = (
        invitation.ipal.code
        if invitation.ipal
        else invitation.area.name
        if invitation.area
        else "-"
    )
    if invitation.organisation:
        scope = f"{scope} ({invitation.organisation})"
    expires = _time(invitation.expires_at) if invitation.expires_at else "-"
    state = invitation_state(invitation, now=now)
    return (
        f"{invitation.code}\t{Role(invitation.role).cli_name}\t{scope}"
        f"\t{invitation.uses}/{invitation.max_uses}\t{expires}"
        f"\t{texts.plain(STATE_KEYS[state])}"
    )


STATE_KEYS = {
    "active": "cli-invitation-state-active",
    "revoked": "cli-invitation-state-revoked",
    "expired": "cli-invitation-state-expired",
    "used_up": "cli-invitation-state-used_up",
}


def invitation_state(invitation: Invitation, *, now: datetime) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    problem = code_problem(
        expires_at=invitation.expires_at,
        max_uses=invitation.max_uses,
        uses=invitation.uses,
        now=now,
    )
    return "active" if problem is None else str(problem)


async def invite_revoke(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    clock = SystemClock(settings.clock.start)
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            invitation = await revoke_invitation(session, code=arguments.code, now=clock.now())
    finally:
        await database.dispose()
    if invitation is None:
        return console.fail("cli-no-invitation", code=arguments.code)
    console.say("cli-invitation-revoked", code=invitation.code)
    return 0


def _time(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime(TIME_FORMAT)


PEOPLE_COMMANDS: dict[tuple[str, str], Command] = {
    ("user", "list"): user_list,
    ("user", "deactivate"): user_deactivate,
    ("user", "reactivate"): user_reactivate,
    ("invite", "list"): invite_list,
    ("invite", "revoke"): invite_revoke,
}
