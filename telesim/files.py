"""Files known to the simulated Bot API: uploads by the bot, media sent by users."""

from __future__ import annotations

import dataclasses
import itertools
import secrets
import struct
import zlib

from telesim.errors import FILE_TOO_BIG, WRONG_FILE_ID, bad_request
from telesim.models import JSON
from telesim.params import Upload

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    mime_type: str
    file_name: str | None = None

    def to_json(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def add(
        self, content: bytes, *, folder: str, mime_type: str, name: str | None = None
    ) -> StoredFile:
        number = next(self._numbers)
        extension = _extension(name, mime_type)
        stored = StoredFile(
            file_id=f"{folder[:2].upper()}AC{number}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQAD{number}{secrets.token_urlsafe(6)}",
            content=content,
            file_path=f"{folder}/file_{number}{extension}",
            mime_type=mime_type,
            file_name=name,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile:
        if file_id not in self._by_id:
            raise bad_request(WRONG_FILE_ID)
        return self._by_id[file_id]

    def for_download(self, file_id: str) -> StoredFile:
        stored = self.get(file_id)
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request(FILE_TOO_BIG)
        return stored

    def by_path(self, path: str) -> StoredFile | None:
        return self._by_path.get(path)

    def resolve(self, source: Upload | str, *, folder: str, mime_type: str) -> StoredFile:
        """The file a send call refers to: a new upload, a URL to fetch, or a known file_id."""
        if isinstance(source, Upload):
            kind = source.content_type or mime_type
            return self.add(source.content, folder=folder, mime_type=kind, name=source.filename)
        if source.startswith(("http://", "https://")):
            name = source.rsplit("/", 1)[-1] or None
            return self.add(source.encode(), folder=folder, mime_type=mime_type, name=name)
        return self.get(source)

    def photo_sizes(self, full: StoredFile) -> list[JSON]:
        """PhotoSize list as Telegram sends it: a thumbnail first, the largest last."""
        thumb = self.add(full.content, folder="photos", mime_type=full.mime_type)
        return [
            {**thumb.to_json(), "width": 90, "height": 68},
            {**full.to_json(), "width": 1280, "height": 960},
        ]


def _extension(name: str | None, mime_type: str) -> str:
    if name and "." in name:
        return "." + name.rsplit(".", 1)[1]
    return {"image/jpeg": ".jpg", "image/png": ".png", "audio/ogg": ".oga"}.get(mime_type, "")


def placeholder_png() -> bytes:
    """A valid 1x1 PNG, the content of photos users send unless a test gives its own."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x40\x80\xc0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
