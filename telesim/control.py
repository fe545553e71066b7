"""A thin HTTP control API over the Simulator's methods, for drivers in another process."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from telesim.errors import SimulatorUsageError
from telesim.models import JSON, SimMessage

if TYPE_CHECKING:
    from telesim.simulator import Simulator

Action = Callable[["Simulator", JSON], Awaitable[Any]]


def _views(messages: list[SimMessage]) -> list[JSON]:
    return [message.to_view() for message in messages]


def _chat(body: JSON) -> int | None:
    value = body.get("chat_id")
    return None if value in (None, "") else int(value)


async def _add_user(sim: Simulator, body: JSON) -> JSON:
    return sim.add_user(**body).to_json()


async def _add_group(sim: Simulator, body: JSON) -> JSON:
    return sim.add_group(body["title"]).to_json()


async def _block(sim: Simulator, body: JSON) -> None:
    sim.block_bot(int(body["user_id"]))


async def _unblock(sim: Simulator, body: JSON) -> None:
    sim.unblock_bot(int(body["user_id"]))


async def _membership(sim: Simulator, body: JSON) -> None:
    sim.set_bot_membership(int(body["user_id"]), int(body["chat_id"]), body["old"], body["new"])


async def _edit_text(sim: Simulator, body: JSON) -> JSON:
    message_id = int(body["message_id"])
    return (await sim.edit_text(body["user_id"], message_id, body["text"], _chat(body))).to_view()


async def _send_text(sim: Simulator, body: JSON) -> JSON:
    return (await sim.send_text(body["user_id"], body["text"], _chat(body))).to_view()


async def _send_photo(sim: Simulator, body: JSON) -> JSON:
    content = base64.b64decode(body["content"]) if body.get("content") else None
    message = await sim.send_photo(body["user_id"], body.get("caption"), content, _chat(body))
    return message.to_view()


async def _send_voice(sim: Simulator, body: JSON) -> JSON:
    return (await sim.send_voice(body["user_id"], body.get("duration", 3), _chat(body))).to_view()


async def _send_sticker(sim: Simulator, body: JSON) -> JSON:
    return (await sim.send_sticker(body["user_id"], body.get("emoji", "👍"), _chat(body))).to_view()


async def _send_location(sim: Simulator, body: JSON) -> JSON:
    latitude, longitude = body["latitude"], body["longitude"]
    return (await sim.send_location(body["user_id"], latitude, longitude, _chat(body))).to_view()


async def _send_document(sim: Simulator, body: JSON) -> JSON:
    content = base64.b64decode(body.get("content", ""))
    message = await sim.send_document(
        body["user_id"], body["file_name"], content, body.get("caption"), _chat(body)
    )
    return message.to_view()


async def _press(sim: Simulator, body: JSON) -> str:
    data, forged = body["callback_data"], bool(body.get("forged", False))
    message_id = int(body["message_id"])
    return await sim.press_button(body["user_id"], message_id, data, _chat(body), forged=forged)


async def _messages(sim: Simulator, body: JSON) -> list[JSON]:
    return _views(sim.messages(int(body["chat_id"])))


async def _chat_log(sim: Simulator, body: JSON) -> list[JSON]:
    return _views(sim.chat_log(int(body["chat_id"])))


async def _wait_messages(sim: Simulator, body: JSON) -> list[JSON]:
    timeout = float(body.get("timeout", 10.0))
    return _views(await sim.wait_for_messages(int(body["chat_id"]), int(body["count"]), timeout))


async def _callback_answer(sim: Simulator, body: JSON) -> JSON | None:
    return sim.callback_answer(body["query_id"])


async def _commands(sim: Simulator, body: JSON) -> list[list[str]]:
    commands = sim.commands(_chat(body), body.get("language_code", ""))
    return [list(command) for command in commands]


async def _reply_keyboard(sim: Simulator, body: JSON) -> list[list[str]] | None:
    return sim.reply_keyboard(int(body["chat_id"]))


async def _calls(sim: Simulator, body: JSON) -> list[JSON]:
    return [dataclasses.asdict(record) for record in sim.calls]


async def _violations(sim: Simulator, body: JSON) -> list[str]:
    return sim.violations


async def _stats(sim: Simulator, body: JSON) -> JSON:
    return dataclasses.asdict(sim.stats)


async def _fail_next(sim: Simulator, body: JSON) -> None:
    sim.fail_next(**body)


_ROUTES: list[tuple[str, str, Action]] = [
    ("POST", "/_sim/users", _add_user),
    ("POST", "/_sim/groups", _add_group),
    ("POST", "/_sim/block", _block),
    ("POST", "/_sim/unblock", _unblock),
    ("POST", "/_sim/membership", _membership),
    ("POST", "/_sim/edit_text", _edit_text),
    ("POST", "/_sim/send_text", _send_text),
    ("POST", "/_sim/send_photo", _send_photo),
    ("POST", "/_sim/send_voice", _send_voice),
    ("POST", "/_sim/send_sticker", _send_sticker),
    ("POST", "/_sim/send_location", _send_location),
    ("POST", "/_sim/send_document", _send_document),
    ("POST", "/_sim/press", _press),
    ("GET", "/_sim/messages/{chat_id}", _messages),
    ("GET", "/_sim/chat_log/{chat_id}", _chat_log),
    ("POST", "/_sim/wait_messages", _wait_messages),
    ("GET", "/_sim/callback_answers/{query_id}", _callback_answer),
    ("GET", "/_sim/commands", _commands),
    ("GET", "/_sim/reply_keyboard/{chat_id}", _reply_keyboard),
    ("GET", "/_sim/calls", _calls),
    ("GET", "/_sim/violations", _violations),
    ("GET", "/_sim/stats", _stats),
    ("POST", "/_sim/fail_next", _fail_next),
]


def _endpoint(sim: Simulator, action: Action) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Body, path and query parameters in; {"result": ...} or {"error": ...} out."""

    async def handle(request: web.Request) -> web.Response:
        body: JSON = dict(await request.json()) if request.can_read_body else {}
        body.update(request.match_info)
        body.update(request.query)
        try:
            result = await action(sim, body)
        except TimeoutError as exc:
            return web.json_response({"error": str(exc)}, status=408)
        except (SimulatorUsageError, KeyError, TypeError, ValueError) as exc:
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)
        return web.json_response({"result": result})

    return handle


def control_routes(sim: Simulator) -> list[web.RouteDef]:
    return [web.route(method, path, _endpoint(sim, action)) for method, path, action in _ROUTES]
