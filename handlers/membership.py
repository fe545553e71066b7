"""Who blocked the bot: Telegram's `my_chat_member` updates about private chats."""

from __future__ import annotations

from typing import Any

from telegram import ChatMember
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.turn import Turn, handler


@handler
async def change_membership(turn: Turn) -> None:
    """Mark the user blocked when they block the bot in private, and reachable when they
    come back; the bot's membership of a group says nothing about the private chat."""
    change = turn.update.my_chat_member
    if change is None or turn.user is None or change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:
        turn.user.is_blocked = True
    elif status == ChatMember.MEMBER:
        turn.user.is_blocked = False


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [ChatMemberHandler(change_membership, ChatMemberHandler.MY_CHAT_MEMBER)]
