"""Desludging request (`/sedot`): reason, preferred date, note; summary and confirm.

    [ipal] → reason → date → note → summary ⇄ edit
    offer → date …   (after a report saying the sludge is full)

An IPAL with an open request is shown that request instead of starting a second one.
"""

from __future__ import annotations

import enum
from datetime import date
from functools import partial
from typing import Any

from bot.alerts import AlertFacts, alert_about
from bot.conversation.base import finish, hand_over, user_of
from bot.conversation.dates import DateStep
from bot.conversation.engine import EDIT, END, SUMMARY, Flow, Scope
from bot.conversation.ipal import IPAL, IPAL_ID, IpalStep, chosen_ipal, ipal_params
from bot.conversation.media import NoteStep
from bot.conversation.steps import ChoiceStep, YesNoStep, vocabulary
from bot.conversation.summary import EditStep, SummaryStep
from bot.render import alerted, day, joined, line, person, place, when
from bot.texts import EMPTY, Html, Texts, join
from bot.turn import Turn
from domain.access import Deed
from domain.routing import Event
from domain.severity import request_severity
from domain.vocabulary import DesludgingReason
from handlers.desludging import operator
from models.areas import Ipal
from models.desludging import DesludgingRequest, open_request, record_request

NAME = "desludging"
VERSION = 1


class Step(enum.StrEnum):
    OFFER = "offer"
    REASON = "reason"
    DATE = "date"
    NOTE = "note"


async def entry(turn: Turn, ipal: Ipal, data: dict[str, Any]) -> str | None:
    """Start with the reason, unless the IPAL already has an open request (then show it)."""
    request = await open_request(turn.session, ipal_id=ipal.id)
    if request is not None:
        await turn.reply(request_notice(turn.texts, request))
        return None
    return Step.REASON


async def lltt_entry(turn: Turn, ipal: Ipal, data: dict[str, Any]) -> str | None:
    """From an LLTT reminder: the reason is LLTT already, so start with the date (or show the
    request already open)."""
    step = await entry(turn, ipal, data)
    if step is None:
        return None
    data[Step.REASON] = DesludgingReason.LLTT_DUE.value
    return Step.DATE


async def offer(scope: Scope, ipal: Ipal) -> str:
    """After a report that says the sludge is full: offer to ask for desludging right away, or
    remind of the request already open."""
    request = await open_request(scope.turn.session, ipal_id=ipal.id)
    if request is not None:
        await scope.turn.reply(request_notice(scope.texts, request))
        return END
    data = {IPAL_ID: ipal.id, Step.REASON: DesludgingReason.SLUDGE_FULL.value}
    return await hand_over(scope, DESLUDGING, Step.OFFER, data)


async def after_offer(scope: Scope) -> str:
    if scope.data.get(Step.OFFER):
        return Step.DATE
    return await finish(scope, scope.texts("desludging-offer-declined"))


def request_notice(texts: Texts, request: DesludgingRequest) -> Html:
    return texts(
        "desludging-open",
        number=request.id,
        ipal=request.ipal.name,
        state=texts(f"request-state-{request.state}"),
        who=person(request.requester),
        at=when(texts, request.requested_at),
        date=day(texts, request.preferred_date),
    )


async def render(scope: Scope) -> Html:
    texts, data = scope.texts, scope.data
    ipal = await chosen_ipal(scope)
    lines = [
        texts("desludging-summary-title"),
        place(texts, ipal) if ipal else EMPTY,
        line(texts, "field-reason", texts(f"desludging-reason-{data[Step.REASON]}")),
        line(texts, "field-date", day(texts, date.fromisoformat(data[Step.DATE]))),
        line(texts, "field-note", data.get(Step.NOTE) or texts("summary-none")),
        texts("summary-check"),
    ]
    return join(lines)


async def submit(scope: Scope) -> str:
    """Store the request and alert the operators, unless another member just made one."""
    ipal, user, data = await chosen_ipal(scope), user_of(scope), scope.data
    if ipal is None:
        return await finish(scope, scope.texts("ipal-not-yours"))
    reason = DesludgingReason(data[Step.REASON])
    request = await record_request(
        scope.turn.session,
        ipal_id=ipal.id,
        requester_id=user.id,
        reason=reason.value,
        preferred_date=date.fromisoformat(data[Step.DATE]),
        note=data.get(Step.NOTE),
        severity=request_severity(reason).value,
        now=scope.turn.now,
    )
    if request is None:
        existing = await open_request(scope.turn.session, ipal_id=ipal.id)
        return await finish(
            scope,
            request_notice(scope.texts, existing) if existing else scope.texts("error-generic"),
        )
    count = await alert_about(scope.turn, request_facts(request))
    sent = scope.texts(
        "desludging-sent", number=request.id, date=day(scope.texts, request.preferred_date)
    )
    return await finish(scope, joined(sent, *alerted(scope.texts, count)))


def request_facts(request: DesludgingRequest) -> AlertFacts:
    def what(texts: Texts) -> Html:
        return texts(
            "alert-what-desludging",
            reason=texts(f"desludging-reason-{request.reason}"),
            date=day(texts, request.preferred_date),
        )

    return AlertFacts(
        event=Event.DESLUDGING,
        number=request.id,
        ipal=request.ipal,
        severity=request_severity(DesludgingReason(request.reason)),
        reporter=request.requester,
        at=request.requested_at,
        what=what,
        note=request.note,
        buttons_for=partial(operator.buttons_for, request.id),
    )


def edit_fields(scope: Scope) -> list[tuple[str, str]]:
    return [(Step.REASON, "field-reason"), (Step.DATE, "field-date"), (Step.NOTE, "field-note")]


def max_days_ahead(scope: Scope) -> int:
    return scope.turn.runtime.settings.reports.desludging_max_days_ahead


DESLUDGING = Flow(
    name=NAME,
    version=VERSION,
    first=IPAL,
    steps={
        IPAL: IpalStep(entry=entry, deed=Deed.REQUEST_DESLUDGING, leads_to=(Step.REASON, END)),
        Step.OFFER: YesNoStep(
            name=Step.OFFER,
            prompt="desludging-ask-offer",
            then=after_offer,
            leads_to=(Step.DATE, END),
            params=ipal_params,
        ),
        Step.REASON: ChoiceStep(
            name=Step.REASON,
            prompt="desludging-ask-reason",
            params=ipal_params,
            options=vocabulary(DesludgingReason, "desludging-reason-"),
            per_row=1,
            then=Step.DATE,
        ),
        Step.DATE: DateStep(
            name=Step.DATE,
            prompt="desludging-ask-date",
            max_days_ahead=max_days_ahead,
            then=Step.NOTE,
        ),
        Step.NOTE: NoteStep(
            name=Step.NOTE, prompt="desludging-ask-note", voice=False, then=SUMMARY
        ),
        SUMMARY: SummaryStep(render=render, submit=submit),
        EDIT: EditStep(fields=edit_fields),
    },
)
