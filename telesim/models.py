"""Users, chats and messages as the simulator keeps them, with their Bot API JSON shapes."""

from __future__ import annotations

import dataclasses
from typing import Any

JSON = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class SimUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclasses.dataclass(frozen=True)
class SimChat:
    id: int
    type: str  # "private" or "group"
    title: str | None = None
    user: SimUser | None = None

    @property
    def is_private(self) -> bool:
        return self.type == "private"

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            data.update((k, v) for k, v in self.user.to_json().items() if k in _CHAT_USER_FIELDS)
        if self.title is not None:
            data["title"] = self.title
        return data


_CHAT_USER_FIELDS = ("first_name", "last_name", "username")


@dataclasses.dataclass(frozen=True)
class SimEdit:
    """The state of a message before one edit."""

    date: int
    text: str | None
    caption: str | None
    entities: list[JSON]
    reply_markup: JSON | None


@dataclasses.dataclass
class SimMessage:
    """A message in a chat in its current state; `media` holds the kind's own JSON fields."""

    chat: JSON
    sender: JSON
    message_id: int
    date: int
    kind: str  # text, photo, document, location, voice, sticker
    text: str | None = None
    caption: str | None = None
    entities: list[JSON] = dataclasses.field(default_factory=list)
    reply_markup: JSON | None = None
    keyboard: JSON | None = None  # a reply keyboard (or its removal) sent with the message
    media: JSON = dataclasses.field(default_factory=dict)
    reply_to: JSON | None = None
    link_preview_options: JSON | None = None
    edit_date: int | None = None
    edit_history: list[SimEdit] = dataclasses.field(default_factory=list)
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def from_bot(self) -> bool:
        return bool(self.sender.get("is_bot"))

    @property
    def edited(self) -> bool:
        return self.edit_date is not None

    @property
    def content(self) -> str | None:
        """The text, or the caption of a media message."""
        return self.text if self.text is not None else self.caption

    def inline_buttons(self) -> list[list[JSON]]:
        """Rows of the current inline keyboard (empty without one)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard", [])
        return [list(row) for row in rows]

    def callback_data(self) -> list[str]:
        """Every callback_data of the current inline keyboard, in reading order."""
        return [
            button["callback_data"]
            for row in self.inline_buttons()
            for button in row
            if "callback_data" in button
        ]

    def to_json(self) -> JSON:
        data: JSON = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        optional = {
            "text": self.text,
            "caption": self.caption,
            "reply_markup": self.reply_markup,
            "reply_to_message": self.reply_to,
            "link_preview_options": self.link_preview_options,
            "edit_date": self.edit_date,
        }
        data.update((k, v) for k, v in optional.items() if v is not None)
        if self.entities:
            data["entities" if self.text is not None else "caption_entities"] = self.entities
        data.update(self.media)
        return data

    def snapshot(self) -> SimEdit:
        return SimEdit(
            self.edit_date or self.date,
            self.text,
            self.caption,
            list(self.entities),
            self.reply_markup,
        )

    def to_view(self) -> JSON:
        """The simulator's view (Telegram JSON plus state) for the control API."""
        return {
            "message": self.to_json(),
            "kind": self.kind,
            "keyboard": self.keyboard,
            "deleted": self.deleted,
            "edit_history": [dataclasses.asdict(edit) for edit in self.edit_history],
        }

    @classmethod
    def from_view(cls, view: JSON) -> SimMessage:
        data = dict(view["message"])
        text = data.pop("text", None)
        caption = data.pop("caption", None)
        entities = data.pop("entities", None) or data.pop("caption_entities", [])
        known = {
            "message_id",
            "from",
            "chat",
            "date",
            "reply_markup",
            "reply_to_message",
            "link_preview_options",
            "edit_date",
        }
        return cls(
            chat=data["chat"],
            sender=data["from"],
            message_id=data["message_id"],
            date=data["date"],
            kind=view["kind"],
            text=text,
            caption=caption,
            entities=entities,
            reply_markup=data.get("reply_markup"),
            keyboard=view["keyboard"],
            media={k: v for k, v in data.items() if k not in known},
            reply_to=data.get("reply_to_message"),
            link_preview_options=data.get("link_preview_options"),
            edit_date=data.get("edit_date"),
            edit_history=[SimEdit(**edit) for edit in view["edit_history"]],
            deleted=view["deleted"],
        )


@dataclasses.dataclass(frozen=True)
class CallRecord:
    """One Bot API call as the simulator answered it."""

    method: str
    chat_id: int | None
    params: JSON
    status: int
    error: str | None
    time: float
    uploads: dict[str, str] = dataclasses.field(default_factory=dict)
    """SHA-256 (hex) of each multipart file sent, by parameter: a dropped call's too."""


@dataclasses.dataclass
class SimStats:
    calls: dict[str, int] = dataclasses.field(default_factory=dict)
    too_many_requests: int = 0
    messages_per_chat: dict[int, int] = dataclasses.field(default_factory=dict)
