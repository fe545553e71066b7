"""`/tindaklanjut` (*Laporan masuk*): the open and acknowledged problems of the user's area,
oldest first, five a page; opening one shows its history, its photo and the action buttons.

The list is computed on the server for the presser every time: a page number typed by hand
shows only what the presser may see anyway.
"""

from __future__ import annotations

import math

from telegram import Message

from bot.callbacks import follow_up_button
from bot.conversation.base import label
from bot.follow_up import ProblemRef, problem_buttons
from bot.keyboards import EMPTY_INLINE, Markup, inline
from bot.render import person, place, when
from bot.texts import Html, Texts, join, plain_text, visible_length
from bot.turn import Turn
from domain.access import Deed, may
from domain.text import CAPTION_LIMIT
from models.areas import place_of
from models.problems import ProblemEvent, ProblemReport, follow_up_problems, history_of
from models.users import User, grants_of

PAGE_SIZE = 5


async def visible_problems(turn: Turn, user: User) -> list[ProblemReport]:
    """The open and acknowledged problems the user may follow up, oldest first."""
    grants = grants_of(user)
    problems = await follow_up_problems(turn.session)
    return [problem for problem in problems if may(grants, Deed.FOLLOW_UP, place_of(problem.ipal))]


def page_count(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


async def list_page(turn: Turn, user: User, page: int) -> tuple[Html, Markup | None]:
    """The text and buttons of one page of the list (a page past the end shows the last)."""
    texts = turn.texts
    problems = await visible_problems(turn, user)
    if not problems:
        return texts("follow-up-list-empty"), None
    pages = page_count(len(problems))
    page = min(max(page, 0), pages - 1)
    shown = problems[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        texts("follow-up-list-title", count=len(problems), page=page + 1, pages=pages),
        *(list_line(texts, problem, turn) for problem in shown),
    ]
    rows = [
        [
            (
                label(
                    texts, "follow-up-list-open", number=problem.id, kind=kind_of(texts, problem)
                ),
                follow_up_button("view", 0, problem.id),
            )
        ]
        for problem in shown
    ]
    navigation = []
    if page > 0:
        navigation.append(
            (label(texts, "follow-up-previous"), follow_up_button("page", page - 1, 0))
        )
    if page < pages - 1:
        navigation.append((label(texts, "follow-up-next"), follow_up_button("page", page + 1, 0)))
    return join(lines), inline([*rows, navigation])


def kind_of(texts: Texts, problem: ProblemReport) -> Html:
    return texts(f"problem-kind-{problem.kind}")


def list_line(texts: Texts, problem: ProblemReport, turn: Turn) -> Html:
    days = (turn.now.date() - problem.reported_at.astimezone(turn.now.tzinfo).date()).days
    return texts(
        "follow-up-list-line",
        number=problem.id,
        ipal=problem.ipal.name,
        kind=kind_of(texts, problem),
        days=days,
        state=texts(f"problem-state-{problem.state}"),
    )


async def show_list(turn: Turn, user: User, *, page: int = 0, edit: Message | None = None) -> None:
    """Send the list's page, or show it in place of the pressed list message (unless it shows
    that page already: Telegram refuses an edit that changes nothing)."""
    text, markup = await list_page(turn, user, page)
    if edit is None:
        await turn.send(text, markup=markup)
        return
    if shows_already(edit, text, markup):
        return
    await turn.call(
        "editMessageText",
        {
            "message_id": edit.message_id,
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": markup or EMPTY_INLINE,
        },
    )


def shows_already(message: Message, text: Html, markup: Markup | None) -> bool:
    """Whether the message's text and buttons are those of `text` and `markup`."""
    shown = message.reply_markup.inline_keyboard if message.reply_markup else ()
    shown_data = [[button.callback_data for button in row] for row in shown]
    wanted = (markup or EMPTY_INLINE)["inline_keyboard"]
    wanted_data = [[button["callback_data"] for button in row] for row in wanted]
    return message.text == plain_text(text) and shown_data == wanted_data


def history_line(texts: Texts, event: ProblemEvent) -> Html:
    return texts(
        "follow-up-history-line",
        at=when(texts, event.at),
        state=texts(f"follow-up-state-{event.state_to}"),
        who=person(event.actor),
        note=texts("follow-up-history-note", note=event.note) if event.note else "",
    )


async def problem_view(turn: Turn, problem: ProblemReport) -> Html:
    """The problem, where and by whom it was reported, and its history."""
    texts = turn.texts
    history = await history_of(turn.session, problem_id=problem.id)
    return join(
        [
            texts(
                "follow-up-view",
                number=problem.id,
                kind=kind_of(texts, problem),
                state=texts(f"problem-state-{problem.state}"),
                place=place(texts, problem.ipal),
                reporter=person(problem.reporter),
                at=when(texts, problem.reported_at),
                note=texts("alert-note", note=problem.note) if problem.note else "",
            ),
            texts("follow-up-history-title"),
            *(
                [history_line(texts, event) for event in history]
                or [texts("follow-up-history-none")]
            ),
        ]
    )


def view_buttons(texts: Texts, problem: ProblemReport) -> Markup:
    return problem_buttons(texts, 0, [ProblemRef.of(problem)])


async def show_problem(turn: Turn, problem: ProblemReport) -> None:
    """Send the problem's view, as a photo with a caption when the member sent one."""
    text = await problem_view(turn, problem)
    markup = view_buttons(turn.texts, problem)
    if problem.photo_file_id is None:
        await turn.send(text, markup=markup)
        return
    if visible_length(text) > CAPTION_LIMIT:
        caption = turn.texts(
            "follow-up-list-open", number=problem.id, kind=kind_of(turn.texts, problem)
        )
        await turn.call(
            "sendPhoto", {"photo": problem.photo_file_id, "caption": caption, "parse_mode": "HTML"}
        )
        await turn.send(text, markup=markup)
        return
    await turn.call(
        "sendPhoto",
        {
            "photo": problem.photo_file_id,
            "caption": text,
            "parse_mode": "HTML",
            "reply_markup": markup,
        },
    )


async def refresh_view(turn: Turn, problem: ProblemReport, *, message_id: int) -> None:
    """Leave only the actions still possible on the problem's view the official pressed."""
    markup = view_buttons(turn.texts, problem)
    await turn.call(
        "editMessageReplyMarkup",
        {
            "message_id": message_id,
            "reply_markup": markup if markup["inline_keyboard"] else EMPTY_INLINE,
        },
    )
