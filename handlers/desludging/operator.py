"""The operators' side of desludging: *Jadwalkan* / *Tolak* on each new request, `/jadwal`
(the queue by date, with *Selesai dikerjakan* on scheduled ones)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import CallbackData, Kind, desludging_button
from bot.conversation.base import label
from bot.conversation.engine import Flow
from bot.keyboards import InlineRows, Markup, inline
from bot.texts import Html, Texts, join
from bot.turn import Turn, handler, require_joined
from domain.access import Deed, Place, may
from domain.lifecycles import RequestState
from domain.vocabulary import Role
from handlers.desludging.lifecycle import acting_on, closed_text, is_open, refuse, request_line
from handlers.desludging.ops_flow import COMPLETE, REJECT, SCHEDULE, begin_action
from models.desludging import DesludgingRequest, operator_queue
from models.users import grants_of

SCHEDULE_ACTION, REJECT_ACTION, DONE_ACTION = "sch", "rej", "fin"
ACTIONS: dict[str, Flow] = {SCHEDULE_ACTION: SCHEDULE, REJECT_ACTION: REJECT, DONE_ACTION: COMPLETE}
QUEUE_LIMIT = 15
"""Requests shown by `/jadwal` (three buttons each stay well inside Telegram's limits)."""
OPERATOR_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})


def new_request_markup(request_id: int, texts: Texts) -> Markup:
    """The operator's buttons on the alert about a new request."""
    return inline([action_row(texts, request_id, RequestState.REQUESTED, numbered=False)])


def buttons_for(request_id: int, role: Role) -> Callable[[Texts], Markup] | None:
    """The operator's own buttons on a request's alert; officials keep theirs."""
    if role is not Role.OPERATOR:
        return None
    return lambda texts: new_request_markup(request_id, texts)


LABELS = {
    False: ("desludging-schedule", "desludging-reject", "desludging-done"),
    True: (
        "desludging-schedule-numbered",
        "desludging-reject-numbered",
        "desludging-done-numbered",
    ),
}
"""Button labels on one request's alert, and numbered ones in the queue of many."""


def action_row(
    texts: Texts, request_id: int, state: str, *, numbered: bool = True
) -> list[tuple[str, str]]:
    """*Jadwalkan* and *Tolak*, with *Selesai dikerjakan* once it is scheduled."""
    actions: tuple[str, ...] = (SCHEDULE_ACTION, REJECT_ACTION, DONE_ACTION)
    if state != RequestState.SCHEDULED:
        actions = actions[:2]
    return [
        (label(texts, key, number=request_id), desludging_button(action, request_id))
        for action, key in zip(actions, LABELS[numbered], strict=False)
    ]


@handler
async def queue_command(turn: Turn) -> None:
    """List the open requests by date, each with its actions."""
    await show_queue(turn)


async def show_queue(turn: Turn) -> None:
    user = await require_joined(turn)
    if user is None:
        return
    if not may(grants_of(user), Deed.HANDLE_DESLUDGING, Place()):
        await refuse(turn, Deed.HANDLE_DESLUDGING, "queue")
        return
    requests = await operator_queue(turn.session, limit=QUEUE_LIMIT)
    if not requests:
        await turn.reply(turn.texts("desludging-queue-empty"))
        return
    await turn.reply(queue_text(turn.texts, requests), markup=queue_markup(turn.texts, requests))


def queue_text(texts: Texts, requests: list[DesludgingRequest]) -> Html:
    return join(
        [texts("desludging-queue-title", count=len(requests))]
        + [request_line(texts, request) for request in requests],
        "\n\n",
    )


def queue_markup(texts: Texts, requests: list[DesludgingRequest]) -> Markup:
    rows: InlineRows = [action_row(texts, request.id, request.state) for request in requests]
    return inline(rows)


@handler
async def press_request_button(turn: Turn) -> None:
    """Begin scheduling, rejecting or recording done, for an operator, on an open request."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    if data is None or len(data.args) != 2 or data.args[0] not in ACTIONS:
        await refuse(turn, Deed.HANDLE_DESLUDGING, "?")
        return
    action, raw_id = data.args
    request = await acting_on(turn, Deed.HANDLE_DESLUDGING, raw_id)
    if request is None:
        return
    if not is_open(request):
        await turn.answer_button(closed_text(turn.texts, request), alert=True)
        return
    if action == DONE_ACTION and request.state != RequestState.SCHEDULED:
        await turn.answer_button(
            turn.texts("desludging-not-scheduled", number=request.id), alert=True
        )
        return
    await begin_action(turn, ACTIONS[action], request)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    actions = "|".join(ACTIONS)
    return [
        CommandHandler(["jadwal", "queue"], queue_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(
            press_request_button, pattern=rf"^1\|{Kind.DESLUDGING}\|({actions})\|"
        ),
    ]
