"""Steps for what is more than a tap: a photo, the location, a note typed or spoken.

Photos and voice notes are kept by Telegram `file_id` and `file_unique_id`; a note is tidied
and limited in length so every summary and alert stays within Telegram's limits. Flows name
these steps `photo`, `location` and `note` (a voice note is kept under `voice`), the names
`extras_of` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.conversation.base import Field, follow, label, question
from bot.conversation.engine import Hint, InputKind, Question, Reply, Scope
from bot.conversation.steps import KEEP
from bot.keyboards import location_keyboard
from bot.render import line
from bot.texts import Html, Texts
from domain.answers import KEEP_WORDS, SKIP_WORDS, is_one_of, parse_coordinates
from domain.errors import InputError
from domain.text import clean_note
from models.attachments import Extras

PHOTO, LOCATION, NOTE, VOICE = "photo", "location", "note", "voice"
SKIP = "_skip"
NOTE_MAX_LENGTH = 1000


def media_of(reply: Reply) -> dict[str, Any]:
    return {"file_id": reply.file_id, "file_unique_id": reply.file_unique_id}


def skip_or_keep(
    scope: Scope, reply: Reply, *, has_answer: bool, optional: bool = True
) -> str | None:
    """SKIP or KEEP when the reply (pressed or typed) means one of them, else None."""
    if reply.value in (SKIP, KEEP):
        return reply.value
    text = reply.text if reply.kind is InputKind.TEXT else None
    if text and has_answer and is_one_of(text, KEEP_WORDS):
        return KEEP
    if text and has_answer and text == label(scope.texts, "answer-keep-current"):
        return KEEP
    if text and optional and is_one_of(text, SKIP_WORDS | {label(scope.texts, "answer-skip")}):
        return SKIP
    return None


def skip_keep_buttons(
    scope: Scope, *, has_answer: bool, optional: bool = True
) -> list[tuple[str, str]]:
    buttons = [(label(scope.texts, "answer-keep-current"), KEEP)] if has_answer else []
    return buttons + ([(label(scope.texts, "answer-skip"), SKIP)] if optional else [])


@dataclass(kw_only=True)
class PhotoStep(Field):
    """An optional photo."""

    async def ask(self, scope: Scope) -> Question:
        has_answer = bool(scope.data.get(self.name))
        return question(
            scope, await self.prompt_text(scope), [skip_keep_buttons(scope, has_answer=has_answer)]
        )

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        if reply.kind is InputKind.PHOTO:
            scope.data[self.name] = media_of(reply)
            return await follow(scope, self.then)
        choice = skip_or_keep(scope, reply, has_answer=bool(scope.data.get(self.name)))
        if choice is None:
            return Hint("hint-photo")
        if choice == SKIP:
            scope.data[self.name] = None
        return await follow(scope, self.then)


@dataclass(kw_only=True)
class LocationStep(Field):
    """An optional location, shared with the phone's button or typed as coordinates."""

    async def ask(self, scope: Scope) -> Question:
        others = [label(scope.texts, "answer-skip")]
        if scope.data.get(self.name):
            others.insert(0, label(scope.texts, "answer-keep-current"))
        share = label(scope.texts, "answer-share-location")
        return question(
            scope, await self.prompt_text(scope), keyboard=location_keyboard(share, others)
        )

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        if reply.kind is InputKind.LOCATION and reply.latitude is not None:
            scope.data[self.name] = [reply.latitude, reply.longitude]
            return await follow(scope, self.then)
        choice = skip_or_keep(scope, reply, has_answer=bool(scope.data.get(self.name)))
        if choice == SKIP:
            scope.data[self.name] = None
        elif choice is None:
            if reply.kind is not InputKind.TEXT or not reply.text:
                return Hint("hint-location")
            try:
                scope.data[self.name] = list(parse_coordinates(reply.text))
            except InputError:
                return Hint("hint-location")
        return await follow(scope, self.then)


@dataclass(kw_only=True)
class NoteStep(Field):
    """A short note, typed or (with `voice`) spoken; stored under `name` and `voice`."""

    optional: bool = True
    voice: bool = True

    async def ask(self, scope: Scope) -> Question:
        buttons = skip_keep_buttons(
            scope, has_answer=self._has_answer(scope), optional=self.optional
        )
        return question(scope, await self.prompt_text(scope), [buttons] if buttons else [])

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        if reply.kind is InputKind.VOICE and self.voice:
            scope.data.update({self.name: None, VOICE: media_of(reply)})
            return await follow(scope, self.then)
        choice = skip_or_keep(
            scope, reply, has_answer=self._has_answer(scope), optional=self.optional
        )
        if choice == SKIP:
            scope.data.update({self.name: None, VOICE: None})
        elif choice is None:
            text = self._note_text(reply)
            if text is None:
                return Hint("hint-note-voice" if self.voice else "hint-note")
            try:
                note = clean_note(text, max_length=NOTE_MAX_LENGTH)
            except InputError as error:
                return Hint(error.key, error.params)
            scope.data.update({self.name: note, VOICE: None})
        return await follow(scope, self.then)

    def _note_text(self, reply: Reply) -> str | None:
        """The typed note; not `lewati` where a note is required."""
        if reply.kind is not InputKind.TEXT or not reply.text:
            return None
        if not self.optional and is_one_of(reply.text, SKIP_WORDS):
            return None
        return reply.text

    def _has_answer(self, scope: Scope) -> bool:
        return bool(scope.data.get(self.name) or scope.data.get(VOICE))


def extras_of(data: dict[str, Any]) -> Extras:
    """The photo, voice note, location and note the answers hold, for storing."""
    photo, voice, location = data.get(PHOTO), data.get(VOICE), data.get(LOCATION)
    return Extras(
        photo=(photo["file_id"], photo["file_unique_id"]) if photo else None,
        voice=(voice["file_id"], voice["file_unique_id"]) if voice else None,
        location=(location[0], location[1]) if location else None,
        note=data.get(NOTE),
    )


def extras_lines(texts: Texts, data: dict[str, Any]) -> list[Html]:
    """Summary lines for the photo, the location and the note (or voice note)."""
    attached = {
        name: texts("summary-attached" if data.get(name) else "summary-none")
        for name in (PHOTO, LOCATION)
    }
    if data.get(NOTE):
        note = texts("summary-note-text", note=data[NOTE])
    else:
        note = texts("summary-voice" if data.get(VOICE) else "summary-none")
    return [
        line(texts, "field-photo", attached[PHOTO]),
        line(texts, "field-location", attached[LOCATION]),
        line(texts, "field-note", note),
    ]
