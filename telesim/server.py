"""The HTTP face of the simulator: Bot API calls and file downloads, as Telegram serves them."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from telesim.errors import METHOD_NOT_FOUND, UNAUTHORIZED, ApiError, Cause, bad_request
from telesim.methods import find_method
from telesim.params import Params
from telesim.state import Handler, SimState


class BotApi:
    """Routes `/bot<token>/<method>` and `/file/bot<token>/<path>` onto the state."""

    def __init__(self, state: SimState, token: str) -> None:
        self._state = state
        self._token = token

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self.call),
            web.get("/file/bot{token}/{path:.+}", self.download),
        ]

    async def call(self, request: web.Request) -> web.Response:
        found = find_method(request.match_info["method"])
        name = found[0] if found else request.match_info["method"]
        result: Any = None
        error: ApiError | None = None
        try:
            params = await Params.from_request(request)
        except ValueError:
            params = Params({})
            error = bad_request("Bad Request: can't parse request parameters")
        if error is None:
            try:
                result = await self._run(request.match_info["token"], found, params)
            except ApiError as exc:
                error = exc
        return self._answer(name, params, result, error)

    async def _run(self, token: str, found: tuple[str, Handler] | None, params: Params) -> Any:
        if token != self._token:
            raise ApiError(401, UNAUTHORIZED)
        if found is None:
            raise ApiError(404, METHOD_NOT_FOUND)
        name, handler = found
        fault = self._state.calls.take_fault(name, _chat_of(params))
        if fault is not None:
            raise fault
        hold = self._state.holds.take(name)
        if hold is not None and not await hold.wait():
            raise ApiError(500, "Internal Server Error: dropped while held", cause=Cause.INJECTED)
        return await handler(self._state, params)

    def _answer(
        self, method: str, params: Params, result: Any, error: ApiError | None
    ) -> web.Response:
        self._state.calls.record(
            method, _chat_id(params), params.record(), error, params.upload_digests()
        )
        self._state.notifier.notify()
        if error is not None:
            return web.json_response(error.payload(), status=error.status)
        return web.json_response({"ok": True, "result": result})

    async def download(self, request: web.Request) -> web.StreamResponse:
        stored = self._state.files.by_path(request.match_info["path"])
        if request.match_info["token"] != self._token or stored is None:
            raise web.HTTPNotFound()
        return web.Response(body=stored.content, content_type=stored.mime_type)


def _chat_id(params: Params) -> int | None:
    try:
        return params.integer("chat_id")
    except ApiError:
        return None


def _chat_of(params: Params) -> int | None:
    """The call's numeric `chat_id`, if it has one (a fault may be for some chats only)."""
    try:
        return params.integer("chat_id")
    except ApiError:
        return None
