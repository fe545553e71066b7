"""Parameters of a Bot API call from a query string, a form, a multipart upload or JSON."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from aiohttp import web

from telesim.errors import bad_request


@dataclasses.dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    filename: str
    content: bytes
    content_type: str


class Params:
    """Typed access to call parameters, read the way the Bot API reads them."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self._values = values
        self._uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
            if isinstance(body, dict):
                values.update(body)
        elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    uploads[name] = Upload(value.filename, content, value.content_type)
                else:
                    values[name] = value
        return cls(values, uploads)

    def has(self, name: str) -> bool:
        return name in self._values or name in self._uploads

    def text(self, name: str) -> str | None:
        value = self._values.get(name)
        return None if value is None else str(value)

    def integer(self, name: str) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"Bad Request: invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self._values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"Bad Request: invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self._values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str) -> Any:
        """A JSON-encoded parameter (objects and arrays), decoded."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"Bad Request: can't parse {name} JSON object") from None

    def file(self, name: str) -> Upload | str | None:
        """An upload (direct or `attach://name`), or a file_id / URL string."""
        if name in self._uploads:
            return self._uploads[name]
        value = self.text(name)
        if value is not None and value.startswith("attach://"):
            return self._uploads.get(value.removeprefix("attach://"))
        return value

    def upload_digests(self) -> dict[str, str]:
        """SHA-256 (hex) of each uploaded file's bytes, by parameter name."""
        return {name: hashlib.sha256(u.content).hexdigest() for name, u in self._uploads.items()}

    def record(self) -> dict[str, Any]:
        """JSON-friendly copy for the call log; uploads are summarised."""
        copy = {name: _decoded(value) for name, value in self._values.items()}
        for name, upload in self._uploads.items():
            copy[name] = f"<upload {upload.filename!r}, {len(upload.content)} bytes>"
        return copy


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
