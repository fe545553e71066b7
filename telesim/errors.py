"""Bot API errors the simulator answers with, and the rule of which ones are bot bugs."""

from __future__ import annotations

import enum
from typing import Any

UNAUTHORIZED = "Unauthorized"
METHOD_NOT_FOUND = "Not Found: method not found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
CANT_BE_EDITED = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
CANT_BE_DELETED = "Bad Request: message can't be deleted"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
TEXT_BUTTONS_UNALLOWED = "Bad Request: text buttons are unallowed in the inline keyboard"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
FILE_TOO_BIG = "Bad Request: file is too big"
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
BLOCKED = "Forbidden: bot was blocked by the user"
CONFLICT_TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def parse_entities_error(detail: str) -> str:
    """Describe malformed HTML the way Telegram words it."""
    return f"Bad Request: can't parse entities: {detail}"


def too_many_requests(retry_after: int) -> str:
    return f"Too Many Requests: retry after {retry_after}"


class Cause(enum.Enum):
    """Why an error was produced, where the description alone cannot tell."""

    BOT = "bot"  # the call itself was wrong
    EXPIRED = "expired"  # a callback query aged out: a matter of timing, not a bug
    INJECTED = "injected"  # fault injection asked for it


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description, optional retry_after."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        cause: Cause = Cause.BOT,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.cause = cause

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, description)


class SimulatorUsageError(Exception):
    """A test asked the simulator for something impossible (a bug in the test, not the bot)."""


def is_violation(status: int, cause: Cause) -> bool:
    """Tell whether an answer means the bot made a call a correct bot never makes.

    Every 400 (bad content, repeated callback answers, unknown chats), 401 (wrong token) and
    404 (a method Telegram or the simulator does not know) counts. Not counted: 403 (the bot
    cannot know a user blocked it), 409 and 429 (timing), 5xx, a callback query that only aged
    out, and anything produced by fault injection.
    """
    if cause is not Cause.BOT:
        return False
    return status in (400, 401, 404)
