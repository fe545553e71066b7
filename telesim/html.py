"""Telegram's HTML parse mode: plain text plus entities, or the error Telegram would give."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from telesim.errors import ApiError, bad_request, parse_entities_error

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]{1,8})|#([0-9]{1,8})|([a-zA-Z]+));?")
_TAG_NAME = re.compile(r"[^\s>]*")
_ATTRIBUTE = re.compile(r"\s*([^\s=>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9.\-]*))?")
_BARE_ATTRIBUTES = {"expandable"}  # <blockquote expandable>


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclasses.dataclass
class _Open:
    name: str
    attributes: dict[str, str]
    offset: int
    language: str | None = None


@dataclasses.dataclass(frozen=True)
class ParsedText:
    text: str
    entities: list[dict[str, Any]]


class _Parser:
    def __init__(self, source: str, strict: bool) -> None:
        self.source = source
        self.strict = strict
        self.pieces: list[str] = []
        self.offset = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, detail: str) -> ApiError:
        return bad_request(parse_entities_error(detail))

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.pieces.append(text)
        self.offset += utf16_len(text)

    def run(self) -> ParsedText:
        i = 0
        while i < len(self.source):
            char = self.source[i]
            if char == "<":
                i = self.tag(i)
            elif char == "&":
                i = self.entity(i)
            elif char == ">" and self.strict:
                raise self.fail(
                    f'Character ">" must be escaped at byte offset {self.byte_offset(i)}'
                )
            else:
                self.emit(char)
                i += 1
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.pieces), entities)

    def entity(self, i: int) -> int:
        match = _ENTITY.match(self.source, i)
        value = _decode_entity(match) if match else None
        if match is None or value is None:
            if self.strict:
                at = self.byte_offset(i)
                raise self.fail(f'Character "&" must be escaped as "&amp;" at byte offset {at}')
            self.emit("&")
            return i + 1
        self.emit(value)
        return match.end()

    def tag(self, i: int) -> int:
        end = _tag_end(self.source, i)
        if self.source.startswith("</", i):
            return self.end_tag(i, end)
        name_match = _TAG_NAME.match(self.source, i + 1)
        if name_match is None or name_match.end() >= len(self.source):
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(i)}")
        name = name_match.group().lower()
        if name not in _TAGS:
            raise self.fail(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(i)}')
        if end < 0:
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(i)}")
        body = self.source[i + 1 : end]
        opened = _Open(name, self.attributes(body[len(name) :], name, i), self.offset)
        if name == "span" and opened.attributes.get("class") != "tg-spoiler":
            at = self.byte_offset(i)
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        self.stack.append(opened)
        return end + 1

    def attributes(self, text: str, name: str, i: int) -> dict[str, str]:
        found: dict[str, str] = {}
        position = 0
        while text[position:].strip():
            match = _ATTRIBUTE.match(text, position)
            key = match.group(1).lower() if match else ""
            if match is None or (match.group(2) is None and key not in _BARE_ATTRIBUTES):
                at = self.byte_offset(i)
                detail = f'Expected equal sign in declaration of attribute of the tag "{name}"'
                raise self.fail(f"{detail} at byte offset {at}")
            found[key] = _unescape_attribute((match.group(2) or "").strip("\"'"))
            position = match.end()
        return found

    def end_tag(self, i: int, end: int) -> int:
        if end < 0:
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(i)}")
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(i)}")
        name = self.source[i + 2 : end].strip().lower()
        opened = self.stack.pop()
        if name and name != opened.name:
            at = self.byte_offset(i)
            expected = f'expected "</{opened.name}>", found "</{name}>"'
            raise self.fail(f"Unmatched end tag at byte offset {at}, {expected}")
        self.close(opened)
        return end + 1

    def close(self, opened: _Open) -> None:
        length = self.offset - opened.offset
        language = opened.attributes.get("class", "")
        parent = self.stack[-1] if self.stack else None
        # <pre><code class="language-x"> makes one pre entity with a language
        in_pre = parent is not None and parent.name == "pre" and opened.name == "code"
        if parent is not None and in_pre and language.startswith("language-"):
            parent.language = language.removeprefix("language-")
            return
        if length > 0:
            self.entities.append(_entity(opened, length))


def _tag_end(source: str, start: int) -> int:
    """Index of the ">" closing the tag at `start` (quotes respected), or -1."""
    quote = ""
    for index in range(start + 1, len(source)):
        char = source[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index
    return -1


def _entity(opened: _Open, length: int) -> dict[str, Any]:
    kind = _TAGS[opened.name]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
    attributes = opened.attributes
    if kind == "text_link":
        entity["url"] = attributes.get("href", "")
    elif kind == "pre" and opened.language:
        entity["language"] = opened.language
    elif kind == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = attributes.get("emoji-id", "")
    return entity


def _decode_entity(match: re.Match[str]) -> str | None:
    hex_code, decimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(hex_code, 16) if hex_code is not None else int(decimal)
    return chr(code) if 0 < code < 0x10FFFF else None


def _unescape_attribute(value: str) -> str:
    return _ENTITY.sub(lambda m: _decode_entity(m) or m.group(0), value)


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse `source` in parse_mode HTML; strict also refuses a bare "&" or ">"."""
    return _Parser(source, strict).run()
