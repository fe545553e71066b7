"""Joining by invitation: `/start CODE` (deep link) or `/start` and then the code typed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.menus import command_list, main_menu
from bot.texts import Texts
from bot.turn import Turn, handler
from domain.dates import format_datetime_wib
from domain.joining import CodeProblem, normalise_code
from domain.vocabulary import Role
from models.invitations import find_invitation, lockout_until, record_failed_code, redeem_invitation
from models.users import Profile, RoleGrant, User, roles_of


@handler
async def start(turn: Turn) -> None:
    """Join with the code after /start, or greet and ask for a code."""
    message = turn.update.effective_message
    args = (message.text or "").split()[1:] if message else []
    if args:
        await try_code(turn, args[0])
    elif turn.user is not None:
        await greet(turn, turn.user)
    else:
        await turn.reply(turn.texts("join-ask-code"))


async def try_code(turn: Turn, text: str) -> None:
    """Redeem the code; a text that can't be a code only gets the help and is not counted as
    a wrong guess (a newcomer who says hello is not locked out)."""
    code = normalise_code(text)
    if code is None:
        await turn.reply(turn.texts("join-ask-code"))
        return
    settings = turn.runtime.settings.join
    locked = await lockout_until(turn.session, telegram_id=turn.telegram_id, now=turn.now)
    if locked is not None:
        await turn.reply(
            turn.texts("join-locked", until=format_datetime_wib(locked, turn.language))
        )
        return
    invitation = await find_invitation(turn.session, code=code)
    outcome = (
        CodeProblem.UNKNOWN
        if invitation is None
        else await redeem_invitation(
            turn.session, invitation=invitation, profile=_profile(turn), now=turn.now
        )
    )
    if isinstance(outcome, CodeProblem):
        until = await record_failed_code(
            turn.session,
            telegram_id=turn.telegram_id,
            now=turn.now,
            max_failures=settings.max_failures,
            lockout=timedelta(minutes=settings.lockout_minutes),
        )
        await turn.reply(turn.texts(f"join-code-{outcome}"))
        if until is not None:
            await turn.reply(
                turn.texts("join-locked", until=format_datetime_wib(until, turn.language))
            )
        return
    user, grant = outcome
    turn.user = user
    await greet(turn, user, grant)


async def greet(turn: Turn, user: User, grant: RoleGrant | None = None) -> None:
    """Welcome (or welcome back) with the role just granted, the menu and the command list."""
    turn.use_language(user.language)
    text = (
        turn.texts("join-welcome", name=user.first_name, role=describe_grant(turn.texts, grant))
        if grant
        else turn.texts("join-already", name=user.first_name)
    )
    await send_menu(turn, user, text)


async def send_menu(turn: Turn, user: User, text: Any) -> None:
    """Send `text` with the user's main menu, and set the chat's command list to match."""
    roles = roles_of(user)
    await turn.call(
        "setMyCommands",
        {
            "commands": command_list(turn.texts, roles),
            "scope": {"type": "chat", "chat_id": turn.chat_id},
        },
        chat_id=turn.chat_id,
    )
    await turn.reply(text, markup=main_menu(turn.texts, roles))


def describe_grant(texts: Texts, grant: RoleGrant | None) -> str:
    if grant is None:
        return ""
    role = texts(f"role-{Role(grant.role)}")
    if grant.ipal is not None:
        return texts("role-at-ipal", role=role, ipal=grant.ipal.name)
    if grant.area is not None:
        return texts("role-at-area", role=role, area=grant.area.name)
    return role


def _profile(turn: Turn) -> Profile:
    sender = turn.update.effective_user
    if sender is None:
        raise ValueError("an update with a code always has a sender")
    return Profile(
        telegram_id=sender.id,
        first_name=sender.first_name,
        last_name=sender.last_name,
        username=sender.username,
        language=turn.language,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start, filters.ChatType.PRIVATE)]
