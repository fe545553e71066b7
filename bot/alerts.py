"""Alerts to officials and operators about what a member sent, through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import alert_button
from bot.conversation.base import label
from bot.follow_up import ProblemRef, problem_buttons
from bot.keyboards import Markup, inline
from bot.outgoing import send_to_user
from bot.render import person, place, when
from bot.texts import Html, Texts, visible_length
from bot.turn import Turn
from domain.quiet_hours import after_quiet_hours
from domain.routing import Event, Purpose, at_any_hour, route
from domain.text import CAPTION_LIMIT, cut_utf16
from domain.vocabulary import Role, Severity
from models.alerts import Alert, Recipient, Subject, find_recipients, send_alerts
from models.areas import Ipal
from models.outbox import OutboxMessage
from models.problems import link_subject
from models.users import User

NOTE_IN_CAPTION = 300


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
    buttons_for: Callable[[Role], Callable[[Texts], Markup] | None] | None = None
    """The feature's own buttons for recipients of some roles who act (others get the
    officials' *Tindak lanjuti* / *Selesai*)."""
    problems: tuple[ProblemRef, ...] = ()
    """The problems the alert is about: one follow-up button pair each."""


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
    subject = f"{facts.event}:{facts.number}"
    if facts.problems:
        problem_ids = [problem.id for problem in facts.problems]
        await link_subject(turn.session, subject=subject, problem_ids=problem_ids)
    alerts = await send_alerts(
        turn.session,
        subject=Subject(subject, facts.ipal, facts.severity),
        recipients=recipients,
        send=partial(send_alert, turn.session, facts, now=turn.now, not_before=not_before),
        now=turn.now,
    )
    return len(alerts)


async def send_alert(
    session: AsyncSession,
    facts: AlertFacts,
    recipient: Recipient,
    alert: Alert,
    *,
    now: datetime,
    not_before: datetime,
) -> OutboxMessage | None:
    """The alert as a photo with a caption (when the member sent one) or a text, with buttons
    to act on it for those who must act."""
    own = facts.buttons_for(recipient.role) if facts.buttons_for is not None else None
    # operators act on a request with their own buttons; officials' copies inform them
    acts = recipient.purpose is Purpose.ACT and (
        own is not None or facts.event is not Event.DESLUDGING
    )
    buttons = own or (
        partial(problem_buttons, ref_id=alert.id, problems=facts.problems)
        if facts.problems
        else partial(alert_buttons, alert.id)
    )
    return await send_to_user(
        session,
        user=recipient.user,
        key=f"alert:{alert.id}",
        compose=partial(alert_body, facts, recipient.purpose),
        markup=buttons if acts else None,
        photo=facts.photo_file_id,
        now=now,
        not_before=not_before,
    )


def alert_buttons(alert_id: int, texts: Texts) -> Markup:
    return inline(
        [
            [
                (label(texts, "alert-ack"), alert_button("ack", alert_id)),
                (label(texts, "alert-done"), alert_button("done", alert_id)),
            ]
        ]
    )


def alert_body(facts: AlertFacts, purpose: Purpose, texts: Texts) -> Html:
    """The whole alert as a text; as a caption its note is cut, or left out to fit."""
    if facts.photo_file_id is None:
        return alert_text(texts, facts, purpose)
    caption = alert_text(texts, facts, purpose, note_limit=NOTE_IN_CAPTION)
    if visible_length(caption) > CAPTION_LIMIT:
        caption = alert_text(texts, facts, purpose, note_limit=0)
    return caption


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
    """The note cut to `limit` UTF-16 code units (an ellipsis marking the cut); no limit: as
    it is."""
    return note if limit is None else cut_utf16(note, limit)
