"""How a notice reads and which buttons go with it, for the fan-out, the preview and the
admin's progress message alike; and the names of the notice sweeps a handler may wake."""

from __future__ import annotations

from bot.callbacks import notice_button, rsvp_button
from bot.keyboards import Markup, inline
from bot.outgoing import MarkupFor
from bot.render import day
from bot.texts import Html, Texts, join, telegram_html
from domain.notices import Answer
from models.notices import Notice

FAN_OUT = "notices:fanout"
PROGRESS = "notices:progress"
REMIND = "notices:remind"


def notice_body(texts: Texts, notice: Notice) -> Html:
    """The notice as its recipients read it: the admin's text, and the RSVP line."""
    text = telegram_html(notice.text_html)
    if not notice.rsvp or notice.event_on is None:
        return text
    lines = [text, texts("notice-rsvp-event", date=day(texts, notice.event_on))]
    if notice.capacity is not None:
        lines.append(texts("notice-rsvp-capacity", count=notice.capacity))
    return join(lines, "\n\n")


def notice_markup(notice: Notice) -> MarkupFor | None:
    """*Hadir* / *Tidak hadir* in the recipient's language, when the notice asks for RSVP."""
    if not notice.rsvp:
        return None

    def markup(texts: Texts) -> Markup:
        return rsvp_markup(texts, notice.id)

    return markup


def rsvp_markup(texts: Texts, notice_id: int) -> Markup:
    return inline(
        [
            [
                (texts.plain("notice-rsvp-yes"), rsvp_button(notice_id, Answer.YES)),
                (texts.plain("notice-rsvp-no"), rsvp_button(notice_id, Answer.NO)),
            ]
        ]
    )


def cancel_markup(texts: Texts, notice: Notice) -> Markup:
    """The button under the admin's progress message."""
    return inline([[(texts.plain("notice-cancel"), notice_button("cancel", notice.id))]])
