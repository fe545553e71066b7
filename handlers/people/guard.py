"""What `/undang` and `/pengguna` share: the refusal of a forged button, editing the pressed
message, and telling another user that their menu changed."""

from __future__ import annotations

from telegram import Message

from bot import user_menus
from bot.callbacks import CallbackData
from bot.keyboards import EMPTY_INLINE, InlineRows, inline
from bot.texts import Html
from bot.turn import Turn
from models.audit import record_audit
from models.users import User


def pressed(turn: Turn) -> CallbackData | None:
    query = turn.update.callback_query
    return CallbackData.decode(query.data if query else None)


async def refuse(turn: Turn, user: User) -> None:
    """Answer a forged or foreign button plainly, change nothing but the audit log."""
    query = turn.update.callback_query
    await record_audit(
        turn.session,
        at=turn.now,
        actor_user_id=user.id,
        action="button.refused",
        subject=f"user:{user.id}",
        details={"data": query.data if query and query.data else ""},
    )
    await turn.answer_button(turn.texts("people-refused"), alert=True)


async def show(turn: Turn, text: Html, rows: InlineRows = ()) -> None:
    """Edit the pressed message to `text` and `rows`; send it anew after a command."""
    query = turn.update.callback_query
    message = query.message if query and isinstance(query.message, Message) else None
    markup = inline(rows) if rows else None
    if message is None:
        await turn.reply(text, markup=markup)
        return
    await turn.call(
        "editMessageText",
        {
            "message_id": message.message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": markup or EMPTY_INLINE,
        },
    )


async def refresh_menu(turn: Turn, target: User, key: str | None = None, **params: object) -> None:
    """Give `target` the command list and menu of the roles they hold now."""
    await user_menus.refresh_menu(
        turn.session, menu=turn.runtime.menu, user=target, now=turn.now, key=key, **params
    )
