"""python-telegram-bot's HTTP seam on aiohttp: the same wire format and timeouts as its
`HTTPXRequest`, at a fraction of the CPU per call.

Parameters go as a form (`application/x-www-form-urlencoded`, each value JSON-encoded by
PTB's `RequestData`), or as `multipart/form-data` when the call uploads files. Proxy
variables of the environment are ignored (the Bot API may be on loopback).

Timeouts follow PTB's meaning; a value left at `DEFAULT_NONE` takes this object's default,
and `None` means no limit:
- connect: establishing a new connection (aiohttp's `sock_connect`);
- pool: waiting for a free connection; aiohttp counts it together with the connect time
  (its `connect`), so that one is `pool + connect`;
- read: waiting for each part of the response (`sock_read`);
- write: aiohttp has no separate write timeout, so the whole request is bounded by the sum
  of all four (`total`), which a write that stalls runs into. A call that uploads files gets
  `media_write_timeout` unless one was passed, as with `HTTPXRequest`.
Timeouts raise `telegram.error.TimedOut`; other transport failures `NetworkError`.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

ODVFloat = ODVInput[float]


class AiohttpRequest(BaseRequest):
    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                trust_env=False,
                headers={"User-Agent": self.USER_AGENT},
                auto_decompress=True,
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVFloat = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVFloat = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVFloat = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVFloat = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        timeout = self.timeout(
            read=read_timeout,
            write=write_timeout,
            connect=connect_timeout,
            pool=pool_timeout,
            uploads=bool(files),
        )
        data = _body(request_data) if request_data else None
        try:
            async with session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def timeout(
        self,
        *,
        read: ODVFloat = BaseRequest.DEFAULT_NONE,
        write: ODVFloat = BaseRequest.DEFAULT_NONE,
        connect: ODVFloat = BaseRequest.DEFAULT_NONE,
        pool: ODVFloat = BaseRequest.DEFAULT_NONE,
        uploads: bool = False,
    ) -> aiohttp.ClientTimeout:
        """The aiohttp timeout for one call (see the module's docstring)."""
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        if isinstance(write, DefaultValue):
            write_s = self._media_write_timeout if uploads else self._write_timeout
        else:
            write_s = write
        parts = (read_s, write_s, connect_s, pool_s)
        total = None if any(part is None for part in parts) else sum(p or 0.0 for p in parts)
        acquire = None if connect_s is None or pool_s is None else connect_s + pool_s
        return aiohttp.ClientTimeout(
            total=total, connect=acquire, sock_connect=connect_s, sock_read=read_s
        )


def _body(request_data: RequestData) -> aiohttp.FormData | dict[str, str]:
    """The parameters as a form, with the files as parts of a multipart body if any."""
    fields: dict[str, str] = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
