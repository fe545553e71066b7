"""Alerts to officials and operators about what a member sent, through the outbox."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from bot.callbacks import alert_button
from bot.conversation.base import label
from bot.keyboards import inline
from bot.render import person, place, when
from bot.texts import Html, Texts
from bot.turn import Turn
from domain.quiet_hours import after_quiet_hours
from domain.routing import Event, Purpose, at_any_hour, route
from domain.vocabulary import Severity
from models.alerts import Recipient, Subject, find_recipients, send_alerts
from models.areas import Ipal
from models.users import User

CAPTION_LIMIT = 1024
NOTE_IN_CAPTION = 300
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class AlertFacts:
    """What the alert tells: which IPAL, what is wrong, who reported it and when."""

    event: Event
    number: int
    ipal: Ipal
    severity: Severity
    reporter: User
    at: datetime
    what: Callable[[Texts], Html]
    """The line saying what is wrong, in the recipient's language."""
    note: str | None = None
    photo_file_id: str | None = None


async def alert_about(turn: Turn, facts: AlertFacts) -> int:
    """Alert everybody the routing rules name for these facts; returns how many."""
    audience = route(facts.event, facts.severity)
    recipients = await find_recipients(turn.session, ipal=facts.ipal, audience=audience)
    quiet = turn.runtime.settings.scheduler
    not_before = (
        turn.now
        if at_any_hour(facts.severity)
        else after_quiet_hours(turn.now, start=quiet.quiet_start, end=quiet.quiet_end)
    )
    alerts = await send_alerts(
        turn.session,
        subject=Subject(f"{facts.event}:{facts.number}", facts.ipal, facts.severity),
        recipients=recipients,
        compose=partial(compose_alert, facts),
        now=turn.now,
        not_before=not_before,
    )
    return len(alerts)


def compose_alert(
    facts: AlertFacts, recipient: Recipient, alert_id: int
) -> tuple[str, dict[str, Any]]:
    """sendPhoto (caption within Telegram's limit) or sendMessage, with buttons to act on it."""
    texts = Texts(recipient.user.language)
    params: dict[str, Any] = {"parse_mode": "HTML"}
    if recipient.purpose is Purpose.ACT:
        params["reply_markup"] = inline(
            [
                [
                    (label(texts, "alert-ack"), alert_button("ack", alert_id)),
                    (label(texts, "alert-done"), alert_button("done", alert_id)),
                ]
            ]
        )
    if facts.photo_file_id is None:
        return "sendMessage", {**params, "text": alert_text(texts, facts, recipient.purpose)}
    caption = alert_text(texts, facts, recipient.purpose, note_limit=NOTE_IN_CAPTION)
    if visible_length(caption) > CAPTION_LIMIT:
        caption = alert_text(texts, facts, recipient.purpose, note_limit=0)
    return "sendPhoto", {**params, "photo": facts.photo_file_id, "caption": caption}


def alert_text(
    texts: Texts, facts: AlertFacts, purpose: Purpose, *, note_limit: int | None = None
) -> Html:
    note = shorten(facts.note or "", note_limit)
    heading = "alert-heading-info" if purpose is Purpose.INFO else f"alert-heading-{facts.severity}"
    return texts(
        "alert-text",
        heading=texts(heading),
        subject=texts(f"alert-subject-{facts.event}", number=facts.number),
        place=place(texts, facts.ipal),
        what=facts.what(texts),
        note=texts("alert-note", note=note) if note else "",
        reporter=person(facts.reporter),
        at=when(texts, facts.at),
    )


def shorten(note: str, limit: int | None) -> str:
    """The note cut to `limit` characters (an ellipsis marking the cut); no limit: as it is."""
    if limit is None or len(note) <= limit:
        return note
    return note[: limit - 1] + "…" if limit > 0 else ""


def visible_length(text: str) -> int:
    """Characters Telegram counts in an HTML text: tags removed, entities as one character."""
    return len(html.unescape(_TAG.sub("", text)))
