"""Messages to any user, from anywhere: a handler, a sweep, another user's action.

`send_to_user` queues one message in the outbox of the caller's transaction — a text, or a
photo or document captioned with it — rendered in the recipient's stored language. Its `key`
(`kind:id` of the event) makes it idempotent: whoever queues the same key again, in this
transaction or a concurrent one, queues nothing. Files are a Telegram file_id or bytes the bot
made (an `Upload`), which are spooled with the row and uploaded by the outbox worker.
`send_to_users` queues many texts at once (reminders, digests), each composed once per
language and all written with one INSERT per chunk.
`Turn.send` and `Turn.reply` stay the way to answer the user of the update being handled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import Markup
from bot.texts import Html, Texts, visible_length
from domain.text import CAPTION_LIMIT, TEXT_LIMIT
from models.outbox import NewCall, OutboxMessage, Upload, enqueue, enqueue_many
from models.users import User

Compose = Callable[[Texts], Html]
"""The text (or caption) in the recipient's language."""
MarkupFor = Markup | Callable[[Texts], Markup]
"""A reply markup, or one built in the recipient's language."""
File = str | Upload
"""A Telegram file_id, or bytes the bot made."""


def catalogue_text(key: str, /, **params: Any) -> Compose:
    """Compose the catalogue text `key` with these values."""
    return lambda texts: texts(key, **params)


class TextTooLongError(ValueError):
    """A text or caption over Telegram's limit: Telegram would refuse it for good."""


async def send_to_user(
    session: AsyncSession,
    *,
    user: User,
    key: str,
    compose: Compose,
    now: datetime,
    markup: MarkupFor | None = None,
    photo: File | None = None,
    document: File | None = None,
    bulk: bool = False,
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Queue `compose`'s text for `user` in their language (the caption when a `photo` or
    `document` goes with it), not before `not_before`; None when `key` was already queued.

    `bulk` marks reminders and broadcasts, which yield to direct replies and alerts. Raises
    TextTooLongError for a text over 4096 or a caption over 1024 UTF-16 code units.
    """
    texts = Texts(user.language)
    method, field, file = _kind(photo, document)
    params: dict[str, Any] = {"chat_id": user.telegram_id, "parse_mode": "HTML"}
    if markup is not None:
        params["reply_markup"] = markup(texts) if callable(markup) else markup
    body = compose(texts)
    if field is None:
        params["text"] = _fitting(body, TEXT_LIMIT, key)
    elif body:
        params["caption"] = _fitting(body, CAPTION_LIMIT, key)
    uploads = {field: file} if field is not None and isinstance(file, Upload) else {}
    if field is not None and isinstance(file, str):
        params[field] = file
    return await enqueue(
        session,
        chat_id=user.telegram_id,
        method=method,
        params=params,
        now=now,
        key=key,
        bulk=bulk,
        not_before=not_before,
        uploads=uploads,
    )


@dataclass(frozen=True)
class Letter:
    """One text for `send_to_users`: to whom (their chat and language), under which key.
    Letters sharing one `compose` (and `markup`) object are rendered once per language."""

    chat_id: int
    language: str
    key: str
    compose: Compose
    markup: MarkupFor | None = None


async def send_to_users(
    session: AsyncSession,
    letters: Iterable[Letter],
    *,
    now: datetime,
    bulk: bool = False,
    not_before: datetime | None = None,
) -> list[int]:
    """Queue these texts as `send_to_user` queues one; the outbox ids of those queued (a key
    already queued adds nothing). Raises TextTooLongError as `send_to_user` does."""
    rendered: dict[tuple[int, int, str], dict[str, Any]] = {}
    languages: dict[str, Texts] = {}
    calls = []
    for letter in letters:
        cached = (id(letter.compose), id(letter.markup), letter.language)
        params = rendered.get(cached)
        if params is None:
            texts = languages.get(letter.language) or languages.setdefault(
                letter.language, Texts(letter.language)
            )
            params = {
                "parse_mode": "HTML",
                "text": _fitting(letter.compose(texts), TEXT_LIMIT, letter.key),
            }
            markup = letter.markup
            if markup is not None:
                params["reply_markup"] = markup(texts) if callable(markup) else markup
            rendered[cached] = params
        calls.append(
            NewCall(
                chat_id=letter.chat_id,
                method="sendMessage",
                params={"chat_id": letter.chat_id, **params},
                key=letter.key,
                bulk=bulk,
                not_before=not_before,
            )
        )
    return await enqueue_many(session, calls, now=now)


def _kind(photo: File | None, document: File | None) -> tuple[str, str | None, File | None]:
    """The Bot API method, the file's parameter and the file."""
    if photo is not None and document is not None:
        raise ValueError("one message carries a photo or a document, not both")
    if photo is not None:
        return "sendPhoto", "photo", photo
    if document is not None:
        return "sendDocument", "document", document
    return "sendMessage", None, None


def _fitting(text: Html, limit: int, key: str) -> Html:
    length = visible_length(text)
    if length > limit:
        raise TextTooLongError(f"{key}: {length} UTF-16 code units, Telegram takes {limit}")
    return text
