"""`/undang`: an admin invites for any role and scope, a KSM chair members of their own IPAL.

    role → [kapanewon →] scope (IPAL or area) → uses → days → code and deep link

Every step is a button carrying the choices made so far (`1|i|role|scope|uses|days`); each
press checks all of them again against the presser's roles in the database, so a forged or
foreign button is refused and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from bot.callbacks import invite_button
from bot.keyboards import InlineRows
from bot.texts import Html, Texts
from bot.turn import Turn, handler, require_joined
from domain.dates import format_datetime_wib
from domain.people import (
    EXPIRY_DAYS_CHOICES,
    USES_CHOICES,
    Actor,
    invitable_roles,
    may_invite,
    may_manage_people,
)
from domain.vocabulary import Role
from handlers.people.guard import pressed, refuse, show
from models.areas import Area, AreaLevel, Ipal, find_area_by_id, list_areas, list_ipals, load_ipal
from models.invitations import Invitation, InvitationError, check_scope, create_invitation
from models.users import AREA_ROLES, IPAL_ROLES, User, actor_of

NO_SCOPE = "-"


@dataclass(frozen=True)
class Draft:
    """The choices of an invitation made so far, each checked."""

    role: Role | None = None
    kapanewon: Area | None = None
    """Chosen on the way to an IPAL or a kalurahan (admins only)."""
    ipal: Ipal | None = None
    area: Area | None = None
    scoped: bool = False
    uses: int | None = None
    days: int | None = None


@handler
async def start_invite(turn: Turn) -> None:
    """Offer the roles the user may invite for."""
    await invite_menu(turn)


async def invite_menu(turn: Turn) -> None:
    user = await require_joined(turn)
    if user is None:
        return
    actor = actor_of(user)
    if not may_manage_people(actor):
        await turn.reply(turn.texts("invite-not-allowed"))
        return
    await advance(turn, user, actor, ())


@handler
async def press_invite(turn: Turn) -> None:
    """Take one choice of the invitation, or make it once every choice is there."""
    user = await require_joined(turn)
    if user is None:
        return
    data = pressed(turn)
    if data is None:
        await refuse(turn, user)
    elif await advance(turn, user, actor_of(user), data.args):
        await turn.answer_button()


async def advance(turn: Turn, user: User, actor: Actor, args: tuple[str, ...]) -> bool:
    """Ask for the next choice (skipping one with a single option); False when refused."""
    draft = await read_draft(turn, actor, args)
    if draft is None:
        await refuse(turn, user)
        return False
    if draft.role is None:
        options = role_options(turn.texts, actor)
        if len(options) == 1:
            return await advance(turn, user, actor, (options[0][1],))
        await ask(turn, args, turn.texts("invite-choose-role"), options)
    elif not draft.scoped:
        return await ask_scope(turn, user, actor, args, draft)
    elif draft.uses is None:
        options = [(turn.texts("invite-uses", count=n), str(n)) for n in USES_CHOICES]
        await ask(turn, args, turn.texts("invite-choose-uses", who=who(turn.texts, draft)), options)
    elif draft.days is None:
        options = [(turn.texts("invite-days", count=n), str(n)) for n in EXPIRY_DAYS_CHOICES]
        uses = turn.texts("invite-uses", count=draft.uses)
        text = turn.texts("invite-choose-days", who=who(turn.texts, draft), uses=uses)
        await ask(turn, args, text, options)
    else:
        await make(turn, user, draft)
    return True


def role_options(texts: Texts, actor: Actor) -> list[tuple[str, str]]:
    return [(texts(f"role-{role}"), role.value) for role in invitable_roles(actor)]


async def ask_scope(
    turn: Turn, user: User, actor: Actor, args: tuple[str, ...], draft: Draft
) -> bool:
    role = draft.role
    assert role is not None  # the caller checked
    texts, name = turn.texts, turn.texts(f"role-{role}")
    if role in IPAL_ROLES and not actor.is_admin:
        options = [(ipal.name, f"p{ipal.id}") for ipal in await chaired_ipals(turn, actor)]
        if len(options) == 1:
            return await advance(turn, user, actor, (role.value, options[0][1]))
        await ask(turn, args[:1], texts("invite-choose-ipal", role=name), options)
    elif draft.kapanewon is not None and role in IPAL_ROLES:
        ipals = [i for i in await list_ipals(turn.session) if i.kapanewon.id == draft.kapanewon.id]
        options = [(ipal.name, f"p{ipal.id}") for ipal in ipals]
        await ask(turn, args[:1], texts("invite-choose-ipal", role=name), options)
    elif draft.kapanewon is not None:
        kalurahans = await list_areas(
            turn.session, level=AreaLevel.KALURAHAN, parent_id=draft.kapanewon.id
        )
        options = [(area.name, f"a{area.id}") for area in kalurahans]
        text = texts("invite-choose-kalurahan", role=name, kapanewon=draft.kapanewon.name)
        await ask(turn, args[:1], text, options)
    elif role in IPAL_ROLES or role in AREA_ROLES:
        prefix = "a" if role is Role.KAPANEWON_OFFICIAL else "k"
        kapanewons = await list_areas(turn.session, level=AreaLevel.KAPANEWON)
        options = [(area.name, f"{prefix}{area.id}") for area in kapanewons]
        await ask(turn, args[:1], texts("invite-choose-kapanewon", role=name), options)
    else:
        return await advance(turn, user, actor, (role.value, NO_SCOPE))
    return True


async def ask(
    turn: Turn, chosen: tuple[str, ...], text: Html, options: list[tuple[str, str]]
) -> None:
    """Show `text` with one button per option, each carrying the choices so far and itself."""
    if not options:
        await show(turn, turn.texts("invite-nothing-to-choose"))
        return
    buttons = [(label, invite_button(*chosen, value)) for label, value in options]
    short = all(len(label) <= 12 for label, _ in options)
    rows: InlineRows = [buttons] if short and len(buttons) <= 4 else [[b] for b in buttons]
    await show(turn, text, rows)


async def make(turn: Turn, user: User, draft: Draft) -> None:
    """Create the invitation; show what was made, then a message easy to forward."""
    assert draft.role is not None and draft.uses is not None and draft.days is not None
    invitation = await create_invitation(
        turn.session,
        role=draft.role,
        ipal=draft.ipal,
        area=draft.area,
        max_uses=draft.uses,
        expires_in=timedelta(days=draft.days),
        now=turn.now,
        created_by=user,
    )
    texts, described = turn.texts, who(turn.texts, draft)
    expires = expiry(texts, invitation)
    uses = texts("invite-uses", count=invitation.max_uses)
    await show(turn, texts("invite-made", who=described, uses=uses, expires=expires))
    bot = turn.update.get_bot().username
    await turn.reply(
        texts(
            "invite-share",
            who=described,
            link=f"https://t.me/{bot}?start={invitation.code}",
            bot=bot,
            code=invitation.code,
            expires=expires,
        )
    )


def expiry(texts: Texts, invitation: Invitation) -> str:
    assert invitation.expires_at is not None  # the bot always sets one
    return format_datetime_wib(invitation.expires_at, texts.language)


def who(texts: Texts, draft: Draft) -> Html:
    """`KSM member of IPAL Ngestiharjo Asri`, `kapanewon official of Wates`, `operator`."""
    role = texts(f"role-{draft.role}")
    if draft.ipal is not None:
        return texts("role-at-ipal", role=role, ipal=draft.ipal.name)
    if draft.area is not None:
        return texts("role-at-area", role=role, area=draft.area.name)
    return role


async def chaired_ipals(turn: Turn, actor: Actor) -> list[Ipal]:
    found = [await load_ipal(turn.session, ipal_id=ipal_id) for ipal_id in actor.chaired_ipals]
    return sorted((ipal for ipal in found if ipal is not None), key=lambda ipal: ipal.name)


async def read_draft(turn: Turn, actor: Actor, args: tuple[str, ...]) -> Draft | None:
    """The choices in `args`, or None when any is malformed or not the presser's to make."""
    if len(args) > 4 or not may_manage_people(actor):
        return None
    if not args:
        return Draft()
    role = Role._value2member_map_.get(args[0])
    if not isinstance(role, Role) or role not in invitable_roles(actor):
        return None
    if len(args) == 1:
        return Draft(role=role)
    draft = await read_scope(turn, actor, role, args[1])
    if draft is None or len(args) == 2:
        return draft
    uses = number(args[2], USES_CHOICES)
    days = number(args[3], EXPIRY_DAYS_CHOICES) if len(args) == 4 else None
    if not draft.scoped or uses is None or (len(args) == 4 and days is None):
        return None
    return replace(draft, uses=uses, days=days)


async def read_scope(turn: Turn, actor: Actor, role: Role, value: str) -> Draft | None:
    kind, ident = value[:1], number(value[1:])
    if value == NO_SCOPE:
        ipal, area = None, None
    elif kind == "k" and ident is not None and actor.is_admin:
        kapanewon = await find_area_by_id(turn.session, area_id=ident)
        wanted = role in IPAL_ROLES or role is Role.KALURAHAN_OFFICIAL
        if kapanewon is None or kapanewon.level != AreaLevel.KAPANEWON or not wanted:
            return None
        return Draft(role=role, kapanewon=kapanewon)
    elif kind == "p" and ident is not None:
        ipal, area = await load_ipal(turn.session, ipal_id=ident), None
        if ipal is None:
            return None
    elif kind == "a" and ident is not None:
        ipal, area = None, await find_area_by_id(turn.session, area_id=ident)
        if area is None:
            return None
    else:
        return None
    try:
        check_scope(role, ipal=ipal, area=area)
    except InvitationError:
        return None
    if not may_invite(actor, role, ipal_id=ipal.id if ipal else None):
        return None
    return Draft(role=role, ipal=ipal, area=area, scoped=True)


def number(text: str, allowed: tuple[int, ...] | None = None) -> int | None:
    if not text.isdigit() or len(text) > 9:
        return None
    value = int(text)
    return value if allowed is None or value in allowed else None
