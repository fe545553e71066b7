"""The demo's transcript: each chat as a person reads it, from what the simulator recorded."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.texts import Texts
from telesim import SimEdit, SimMessage, Simulator, SimUser

BOT_LABEL = "🤖 Bot"
INDENT = "    "


@dataclass(frozen=True)
class Person:
    """A simulated Telegram user and the role the demo gives them."""

    user: SimUser
    role: str

    @property
    def name(self) -> str:
        return self.user.first_name

    @property
    def label(self) -> str:
        return f"{self.user.first_name} ({self.role})"


@dataclass
class _ChatCursor:
    """How much of one chat has been printed: messages, and the edits of each message."""

    seen: int = 0
    edits_seen: dict[int, int] = field(default_factory=dict)


class Transcript:
    """Prints what is new in the watched chats since the last look, nothing the script meant."""

    def __init__(self, sim: Simulator, texts: Texts, out: TextIO | None = None) -> None:
        self._sim = sim
        self.texts = texts
        self._out = out or sys.stdout
        self._people: dict[int, Person] = {}
        self._cursors: dict[int, _ChatCursor] = {}

    def watch(self, person: Person) -> None:
        self._people[person.user.id] = person
        self._cursors.setdefault(person.user.id, _ChatCursor())

    def say(self, line: str = "") -> None:
        print(line, file=self._out, flush=True)

    def tell(self, key: str, /, **params: Any) -> None:
        self.say(self.texts.plain(key, **params))

    def show_new(self, actor: Person) -> int:
        """Print the actor's chat, then every other watched chat; returns the actor's bot lines."""
        shown = self._show_chat(actor.user.id, actor)
        for chat_id in self._people:
            if chat_id != actor.user.id:
                self._show_chat(chat_id, actor)
        return shown

    def show_press(self, person: Person, label: str) -> None:
        self.tell("demo-presses", name=person.name, label=label)

    def show_answer(self, answer: dict[str, Any]) -> None:
        """Print the pop-up or toast a button press was answered with (a silent answer: nothing)."""
        text = answer.get("text")
        if text:
            kind = self.texts.plain("demo-popup" if answer.get("show_alert") else "demo-toast")
            self._block(f"{BOT_LABEL} ({kind}):  ", str(text), [])

    def _show_chat(self, chat_id: int, actor: Person) -> int:
        cursor = self._cursors[chat_id]
        log = self._sim.chat_log(chat_id, include_deleted=True)
        shown = self._show_edits(log[: cursor.seen], cursor, chat_id, actor)
        for message in log[cursor.seen :]:
            cursor.edits_seen[message.message_id] = len(message.edit_history)
            if message.deleted:
                continue
            shown += self._show_message(message, chat_id, actor)
        cursor.seen = len(log)
        return shown

    def _show_message(self, message: SimMessage, chat_id: int, actor: Person) -> int:
        if not message.from_bot:
            sender = self._people.get(int(message.sender["id"]))
            who = sender.label if sender else str(message.sender.get("first_name", "?"))
            self._block(f"👤 {who}:  ", describe_content(message, self.texts), [])
            return 0
        content = describe_content(message, self.texts)
        self._block(self._bot_prefix(chat_id, actor), content, buttons(message, self.texts))
        return 1

    def _show_edits(
        self, messages: list[SimMessage], cursor: _ChatCursor, chat_id: int, actor: Person
    ) -> int:
        shown = 0
        for message in messages:
            seen = cursor.edits_seen.get(message.message_id, 0)
            states = edited_states(message, self.texts)
            for text, rows in states[seen:]:
                self._block(self._bot_prefix(chat_id, actor, edited=True), text, rows)
                shown += 1
            cursor.edits_seen[message.message_id] = len(states)
        return shown

    def _bot_prefix(self, chat_id: int, actor: Person, *, edited: bool = False) -> str:
        target = "" if chat_id == actor.user.id else f" → {self._people[chat_id].label}"
        change = " " + self.texts.plain("demo-edits") if edited else ""
        return f"{BOT_LABEL}{target}{change}:  "

    def _block(self, prefix: str, text: str, rows: list[str]) -> None:
        lines = text.splitlines() or [""]
        self.say(prefix + lines[0])
        for line in [*lines[1:], *rows]:
            self.say(INDENT + line)


def describe_content(message: SimMessage, texts: Texts) -> str:
    """The text as shown, or a short description of a photo, location, voice note…"""
    if message.kind == "text":
        return message.text or ""
    if message.kind == "location":
        place = message.media.get("location", {})
        return texts.plain(
            "demo-location", latitude=place.get("latitude"), longitude=place.get("longitude")
        )
    caption = f" {message.caption}" if message.caption else ""
    return f"({message.kind}){caption}"


def buttons(message: SimMessage, texts: Texts) -> list[str]:
    """The inline buttons, then the reply keyboard, one printed line per row."""
    return inline_rows(message.reply_markup) + keyboard_rows(message.keyboard, texts)


def inline_rows(markup: dict[str, Any] | None) -> list[str]:
    rows = (markup or {}).get("inline_keyboard", [])
    return [" ".join(f"[ {button['text']} ]" for button in row) for row in rows if row]


def keyboard_rows(markup: dict[str, Any] | None, texts: Texts) -> list[str]:
    """A reply keyboard as the rows under the input field (marked ⌨), or its removal."""
    if not markup:
        return []
    if markup.get("remove_keyboard"):
        return ["⌨ " + texts.plain("demo-keyboard-closed")]
    rows = markup.get("keyboard", [])
    return [
        ("⌨ " if index == 0 else "  ") + " ".join(f"[ {button['text']} ]" for button in row)
        for index, row in enumerate(rows)
        if row
    ]


def edited_states(message: SimMessage, texts: Texts) -> list[tuple[str, list[str]]]:
    """The message after each of its edits, oldest first: (text, inline button rows).

    An edit that keeps the text and only changes the buttons is told in a few words.
    """
    before: list[SimEdit] = message.edit_history
    after: list[SimEdit] = [*before[1:], message.snapshot()] if before else []
    states = []
    for old, new in zip(before, after, strict=True):
        text = new.text if new.text is not None else new.caption or ""
        rows = inline_rows(new.reply_markup)
        if text == (old.text if old.text is not None else old.caption or ""):
            text = texts.plain("demo-buttons-changed" if rows else "demo-buttons-removed")
        states.append((text, rows))
    return states
