"""answerCallbackQuery, with Telegram's single answer and its answer deadline."""

from __future__ import annotations

from telesim.errors import QUERY_TOO_OLD, ApiError, Cause, bad_request
from telesim.html import utf16_len
from telesim.params import Params
from telesim.state import Handler, SimState

MAX_ANSWER_TEXT = 200


async def answer_callback_query(state: SimState, params: Params) -> bool:
    query = state.callbacks.get(params.text("callback_query_id") or "")
    if query is None or query.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    if state.clock() - query.created > state.limits.callback_answer_timeout:
        raise ApiError(400, QUERY_TOO_OLD, cause=Cause.EXPIRED)
    text = params.text("text")
    if text is not None and utf16_len(text) > MAX_ANSWER_TEXT:
        raise bad_request("Bad Request: MESSAGE_TOO_LONG")
    query.answer = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.text("url"),
        "cache_time": params.integer("cache_time"),
    }
    return True


HANDLERS: dict[str, Handler] = {"answerCallbackQuery": answer_callback_query}
