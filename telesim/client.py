"""SimulatorClient: the Simulator's user-side API, driven over HTTP from another process."""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any

import httpx

from telesim.errors import SimulatorUsageError
from telesim.models import JSON, SimChat, SimMessage, SimUser
from telesim.simulator import DEFAULT_TOKEN


class SimulatorClient:
    """Mirrors the async methods of `Simulator` through its `/_sim/` control API."""

    def __init__(self, origin: str, *, token: str = DEFAULT_TOKEN, timeout: float = 30.0) -> None:
        self.origin = origin.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(base_url=self.origin, timeout=timeout, trust_env=False)

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SimulatorClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, body: JSON | None = None, **query: Any) -> Any:
        params = {key: value for key, value in query.items() if value is not None}
        response = await self._http.request(method, f"/_sim/{path}", json=body, params=params)
        payload = response.json()
        if response.status_code == 408:
            raise TimeoutError(payload["error"])
        if response.status_code != 200:
            raise SimulatorUsageError(payload.get("error", response.text))
        return payload["result"]

    async def _message(self, path: str, body: JSON) -> SimMessage:
        return SimMessage.from_view(await self._call("POST", path, body))

    async def add_user(
        self,
        first_name: str,
        language_code: str | None = "id",
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        body = {
            "first_name": first_name,
            "language_code": language_code,
            "user_id": user_id,
            "last_name": last_name,
            "username": username,
        }
        return SimUser(**(await self._call("POST", "users", body)))

    async def add_group(self, title: str) -> SimChat:
        data = await self._call("POST", "groups", {"title": title})
        return SimChat(id=data["id"], type=data["type"], title=data.get("title"))

    async def block_bot(self, user_id: int) -> None:
        await self._call("POST", "block", {"user_id": user_id})

    async def unblock_bot(self, user_id: int) -> None:
        await self._call("POST", "unblock", {"user_id": user_id})

    async def set_bot_membership(self, user_id: int, chat_id: int, old: str, new: str) -> None:
        body = {"user_id": user_id, "chat_id": chat_id, "old": old, "new": new}
        await self._call("POST", "membership", body)

    async def edit_text(
        self, user_id: int, message_id: int, text: str, chat_id: int | None = None
    ) -> SimMessage:
        body = {"user_id": user_id, "message_id": message_id, "text": text, "chat_id": chat_id}
        return await self._message("edit_text", body)

    async def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> SimMessage:
        return await self._message(
            "send_text", {"user_id": user_id, "text": text, "chat_id": chat_id}
        )

    async def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        content: bytes | None = None,
        chat_id: int | None = None,
    ) -> SimMessage:
        encoded = base64.b64encode(content).decode() if content else None
        body = {"user_id": user_id, "caption": caption, "content": encoded, "chat_id": chat_id}
        return await self._message("send_photo", body)

    async def send_voice(
        self, user_id: int, duration: int = 3, chat_id: int | None = None
    ) -> SimMessage:
        body = {"user_id": user_id, "duration": duration, "chat_id": chat_id}
        return await self._message("send_voice", body)

    async def send_sticker(
        self, user_id: int, emoji: str = "👍", chat_id: int | None = None
    ) -> SimMessage:
        return await self._message(
            "send_sticker", {"user_id": user_id, "emoji": emoji, "chat_id": chat_id}
        )

    async def send_location(
        self, user_id: int, latitude: float, longitude: float, chat_id: int | None = None
    ) -> SimMessage:
        body = {
            "user_id": user_id,
            "latitude": latitude,
            "longitude": longitude,
            "chat_id": chat_id,
        }
        return await self._message("send_location", body)

    async def send_document(
        self,
        user_id: int,
        file_name: str = "data.csv",
        content: bytes = b"",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> SimMessage:
        body = {
            "user_id": user_id,
            "file_name": file_name,
            "content": base64.b64encode(content).decode(),
            "caption": caption,
            "chat_id": chat_id,
        }
        return await self._message("send_document", body)

    async def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        chat_id: int | None = None,
        *,
        forged: bool = False,
    ) -> str:
        body = {
            "user_id": user_id,
            "message_id": message_id,
            "callback_data": callback_data,
            "chat_id": chat_id,
            "forged": forged,
        }
        return str(await self._call("POST", "press", body))

    async def messages(self, chat_id: int) -> list[SimMessage]:
        return [SimMessage.from_view(v) for v in await self._call("GET", f"messages/{chat_id}")]

    async def chat_log(self, chat_id: int) -> list[SimMessage]:
        return [SimMessage.from_view(v) for v in await self._call("GET", f"chat_log/{chat_id}")]

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the server waits; this is its deadline
    ) -> list[SimMessage]:
        body = {"chat_id": chat_id, "count": count, "timeout": timeout}
        return [SimMessage.from_view(v) for v in await self._call("POST", "wait_messages", body)]

    async def callback_answer(self, query_id: str) -> JSON | None:
        answer: JSON | None = await self._call("GET", f"callback_answers/{query_id}")
        return answer

    async def commands(
        self, scope_chat_id: int | None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        found = await self._call(
            "GET", "commands", chat_id=scope_chat_id, language_code=language_code
        )
        return [(command, description) for command, description in found]

    async def reply_keyboard(self, chat_id: int) -> list[list[str]] | None:
        rows: list[list[str]] | None = await self._call("GET", f"reply_keyboard/{chat_id}")
        return rows

    async def calls(self) -> list[JSON]:
        return list(await self._call("GET", "calls"))

    async def violations(self) -> list[str]:
        return list(await self._call("GET", "violations"))

    async def stats(self) -> JSON:
        return dict(await self._call("GET", "stats"))

    async def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        count: int = 1,
        retry_after: int | None = None,
        chats: list[int] | None = None,
    ) -> None:
        body = {
            "method": method,
            "status": status,
            "description": description,
            "count": count,
            "retry_after": retry_after,
            "chats": chats,
        }
        await self._call("POST", "fail_next", body)
