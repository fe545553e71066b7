"""The photo, voice note, location and note that come with what a member sends."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Attachments:
    """Photo, voice note, location and note columns shared by everything a member sends."""

    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    photo_file_unique_id: Mapped[str | None] = mapped_column(String(64))
    voice_file_id: Mapped[str | None] = mapped_column(String(200))
    voice_file_unique_id: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Extras:
    """The optional photo, voice note, location and note of a report, as Telegram gave them."""

    photo: tuple[str, str] | None = None
    """(file_id, file_unique_id)"""
    voice: tuple[str, str] | None = None
    location: tuple[float, float] | None = None
    note: str | None = None

    def apply(self, row: Attachments) -> None:
        row.photo_file_id, row.photo_file_unique_id = self.photo or (None, None)
        row.voice_file_id, row.voice_file_unique_id = self.voice or (None, None)
        row.latitude, row.longitude = self.location or (None, None)
        row.note = self.note
