"""The operator's conversations on a request: schedule it, reject it, record it done.

    schedule:  date → team → (stored, the KSM told)
    reject:    reason → (stored, the KSM told)
    done:      volume → photo → (stored, the LLTT cycle restarts, the KSM told and asked to rate)

Each begins from a button on the request (its alert, `/jadwal`); the request is read again and
the operator's right checked again when the answers are in, since either may have changed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.conversation.base import Field, begin_flow, finish, follow, question
from bot.conversation.dates import DateStep
from bot.conversation.engine import END, Flow, Hint, InputKind, Question, Reply, Scope
from bot.conversation.media import NoteStep, PhotoStep
from bot.texts import Html
from bot.turn import Turn
from domain.access import Deed
from domain.errors import InputError
from domain.lifecycles import RequestState
from domain.volume import parse_volume
from handlers.desludging import rating
from handlers.desludging.lifecycle import (
    acting_on,
    closed_text,
    done_text,
    is_open,
    request_line,
    tell_everyone,
)
from models.areas import schedule_lltt
from models.desludging import (
    DesludgingRequest,
    complete_request,
    find_request,
    reject_request,
    schedule_request,
)

REQUEST = "request"
TEAM_MAX_LENGTH = 100


class Step(enum.StrEnum):
    DATE = "date"
    TEAM = "team"
    REASON = "reason"
    VOLUME = "volume"
    PHOTO = "photo"


async def request_params(scope: Scope) -> dict[str, object]:
    request = await find_request(scope.turn.session, request_id=int(scope.data[REQUEST]))
    return {"request": request_line(scope.texts, request) if request else ""}


async def still_open(scope: Scope) -> DesludgingRequest | Html:
    """The request, when the operator may still act on it and it is still open; else what to
    say instead."""
    request = await acting_on(
        scope.turn, Deed.HANDLE_DESLUDGING, str(scope.data[REQUEST]), tell=False
    )
    if request is None:
        return scope.texts("desludging-refused")
    if not is_open(request):
        return closed_text(scope.texts, request)
    return request


async def submit_schedule(scope: Scope) -> str:
    """Store the date (and team); tell the KSM and those informed."""
    request = await still_open(scope)
    if isinstance(request, str):
        return await finish(scope, request)
    moved = request.state == RequestState.SCHEDULED
    team = (scope.data.get(Step.TEAM) or "")[:TEAM_MAX_LENGTH] or None
    on = date.fromisoformat(str(scope.data[Step.DATE]))
    schedule_request(request, on=on, team=team, now=scope.turn.now)
    key = "desludging-told-rescheduled" if moved else "desludging-told-scheduled"
    told = await tell_everyone(
        scope.turn,
        request,
        f"scheduled:{on.isoformat()}",
        lambda texts: texts(key, line=request_line(texts, request)),
    )
    return await finish(
        scope,
        scope.texts("desludging-scheduled-ok", line=request_line(scope.texts, request), count=told),
    )


async def submit_reject(scope: Scope) -> str:
    request = await still_open(scope)
    if isinstance(request, str):
        return await finish(scope, request)
    reason = str(scope.data[Step.REASON])
    reject_request(request, reason=reason, now=scope.turn.now)
    told = await tell_everyone(
        scope.turn,
        request,
        "rejected",
        lambda texts: texts(
            "desludging-told-rejected", number=request.id, ipal=request.ipal.name, reason=reason
        ),
    )
    return await finish(scope, scope.texts("desludging-rejected-ok", number=request.id, count=told))


async def submit_done(scope: Scope) -> str:
    """Record the desludging done today: the IPAL's LLTT cycle restarts; the requester is asked
    to rate it."""
    request = await still_open(scope)
    if isinstance(request, str):
        return await finish(scope, request)
    if request.state != RequestState.SCHEDULED:
        return await finish(scope, scope.texts("desludging-not-scheduled", number=request.id))
    photo = scope.data.get(Step.PHOTO) or {}
    complete_request(
        request,
        on=scope.turn.now.date(),
        volume_m3=Decimal(scope.data[Step.VOLUME]),
        photo_file_id=photo.get("file_id"),
        now=scope.turn.now,
    )
    settings = scope.turn.runtime.settings
    interval = settings.reports.desludging_interval_months
    schedule_lltt(
        request.ipal, default_interval_months=interval, rule=settings.reminders.lltt_rule()
    )
    told = await tell_everyone(
        scope.turn, request, "done", lambda texts: done_text(texts, request, interval)
    )
    await rating.ask_rating(scope.turn, request)
    return await finish(scope, scope.texts("desludging-done-ok", number=request.id, count=told))


@dataclass(kw_only=True)
class VolumeStep(Field):
    """The volume taken away, in m³ (`3,5`)."""

    async def ask(self, scope: Scope) -> Question:
        return question(scope, await self.prompt_text(scope))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        if reply.kind is not InputKind.TEXT or not reply.text:
            return Hint("desludging-volume-invalid")
        try:
            scope.data[self.name] = str(parse_volume(reply.text))
        except InputError as error:
            return Hint(error.key, error.params)
        return await follow(scope, self.then)


def max_days_ahead(scope: Scope) -> int:
    return scope.turn.runtime.settings.reports.desludging_max_days_ahead


SCHEDULE = Flow(
    name="desludging_schedule",
    version=1,
    first=Step.DATE,
    steps={
        Step.DATE: DateStep(
            name=Step.DATE,
            prompt="desludging-ask-schedule-date",
            params=request_params,
            max_days_ahead=max_days_ahead,
            then=Step.TEAM,
        ),
        Step.TEAM: NoteStep(
            name=Step.TEAM,
            prompt="desludging-ask-team",
            voice=False,
            then=submit_schedule,
            leads_to=(END,),
        ),
    },
)

REJECT = Flow(
    name="desludging_reject",
    version=1,
    first=Step.REASON,
    steps={
        Step.REASON: NoteStep(
            name=Step.REASON,
            prompt="desludging-ask-reject-reason",
            params=request_params,
            optional=False,
            voice=False,
            then=submit_reject,
            leads_to=(END,),
        ),
    },
)

COMPLETE = Flow(
    name="desludging_done",
    version=1,
    first=Step.VOLUME,
    steps={
        Step.VOLUME: VolumeStep(
            name=Step.VOLUME,
            prompt="desludging-ask-volume",
            params=request_params,
            then=Step.PHOTO,
        ),
        Step.PHOTO: PhotoStep(
            name=Step.PHOTO,
            prompt="desludging-ask-done-photo",
            then=submit_done,
            leads_to=(END,),
        ),
    },
)

FLOWS = (SCHEDULE, REJECT, COMPLETE)


async def begin_action(turn: Turn, flow: Flow, request: DesludgingRequest) -> None:
    """Begin one of the operator's conversations on `request`."""
    await begin_flow(turn, flow, {REQUEST: request.id})
