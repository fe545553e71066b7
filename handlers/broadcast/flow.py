"""`/siaran`: an admin writes a notice, chooses its audience, RSVP and time, previews, sends.

    text → role → [area → [kalurahan]] → [organisation] → more ⇄ role …
         → rsvp → [event → capacity → deadline] → when → summary ⇄ edit

Each audience segment (role × area × organisation) is added when its last choice is made.
Nothing is stored or sent before *Kirim*; then the notice is stored and the fan-out sweep is
woken once the turn has committed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select

from bot.conversation.base import finish, label, question, user_of
from bot.conversation.dates import DateStep
from bot.conversation.engine import (
    EDIT,
    END,
    SUMMARY,
    Flow,
    Hint,
    InputKind,
    Question,
    Reply,
    Scope,
)
from bot.conversation.steps import ChoiceStep, NumberStep, Option, YesNoStep, keyed
from bot.conversation.summary import EditStep, SummaryStep
from bot.notices import FAN_OUT, PROGRESS, cancel_markup, notice_body, notice_markup
from bot.render import day, when
from bot.texts import LANGUAGES, Html, Texts, UnsafeHtmlError, join, telegram_html, visible_length
from domain.dates import WIB
from domain.notices import balanced_tags, split_caption, text_room
from domain.text import CAPTION_LIMIT, TEXT_LIMIT
from domain.vocabulary import Role
from models.areas import Area, AreaLevel, list_areas
from models.notices import Notice, SegmentChoice, audience_of, create_notice
from models.users import RoleGrant

NAME = "broadcast"
VERSION = 1
SEGMENTS = "segments"
ANY = "-"
AREA_ROLES = (Role.MEMBER, Role.CHAIR, Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL)
KALURAHAN_ROLES = (Role.MEMBER, Role.CHAIR, Role.KALURAHAN_OFFICIAL)
MORNING = time(8, 0)
MAX_CAPACITY = 100_000


class Step(enum.StrEnum):
    TEXT = "text"
    ROLE = "role"
    AREA = "area"
    KALURAHAN = "kalurahan"
    ORGANISATION = "organisation"
    MORE = "more"
    RSVP = "rsvp"
    EVENT = "event"
    CAPACITY = "capacity"
    DEADLINE = "deadline"
    WHEN = "when"


class NoticeTextStep:
    """The notice itself: a formatted text, or one photo or document with its caption."""

    name: str = Step.TEXT

    def next_steps(self) -> tuple[str, ...]:
        return (Step.ROLE, SUMMARY)

    async def ask(self, scope: Scope) -> Question:
        return question(scope, scope.texts("notice-ask-text"))

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        if reply.kind not in (InputKind.TEXT, InputKind.PHOTO, InputKind.DOCUMENT):
            return Hint("notice-hint-text")
        if not (reply.html or reply.text) and reply.file_id is None:
            return Hint("notice-hint-text")
        problem = text_problem(reply.html or "", scope.data)
        if problem is not None:
            return problem
        scope.data["text_html"] = reply.html or ""
        scope.data["photo"] = reply.file_id if reply.kind is InputKind.PHOTO else None
        scope.data["document"] = reply.file_id if reply.kind is InputKind.DOCUMENT else None
        return SUMMARY if scope.data.get("_summary") else Step.ROLE


def text_problem(text_html: str, data: dict[str, Any]) -> Hint | None:
    """Why the notice cannot go as written: formatting Telegram's entities never make, or a
    text too long for one message with the lines the bot adds under it (the text of a file too
    long for a caption goes as a message of its own, so one limit holds for both)."""
    try:
        text = telegram_html(text_html)
    except UnsafeHtmlError as error:
        return Hint("notice-bad-html", {"tag": str(error.params.get("tag", ""))})
    if not balanced_tags(text_html):
        return Hint("notice-bad-html", {"tag": "-"})
    length, room = visible_length(text), text_room(limit=TEXT_LIMIT, additions=additions_of(data))
    if length > room:
        return Hint("notice-too-long", {"length": length, "limit": room})
    return None


def additions_of(data: dict[str, Any]) -> list[int]:
    """What the RSVP lines add under the text in each language: as chosen, or, before RSVP is
    chosen, the longest they can be."""
    if Step.RSVP not in data:
        return longest_rsvp_lines()
    if not data.get(Step.RSVP):
        return [0]
    draft = draft_of({**data, "text_html": ""})
    return [visible_length(notice_body(Texts(language), draft)) for language in LANGUAGES]


@cache
def longest_rsvp_lines() -> list[int]:
    """The RSVP lines at their longest: the longest month's date, the largest capacity."""
    lengths = []
    for language in LANGUAGES:
        texts = Texts(language)
        for month in range(1, 13):
            draft = Notice(
                id=0,
                text_html="",
                rsvp=True,
                event_on=date(2026, month, 28),
                capacity=MAX_CAPACITY,
            )
            lengths.append(visible_length(notice_body(texts, draft)))
    return lengths


async def role_options(scope: Scope) -> list[Option]:
    return [Option(role.value, label(scope.texts, f"role-{role}")) for role in Role]


async def area_options(scope: Scope) -> list[Option]:
    kapanewons = await list_areas(scope.turn.session, level=AreaLevel.KAPANEWON)
    return [
        Option(ANY, label(scope.texts, "notice-area-all")),
        *(Option(str(area.id), area.name) for area in kapanewons),
    ]


async def kalurahan_options(scope: Scope) -> list[Option]:
    kapanewon_id = int(scope.data[Step.AREA])
    kalurahans = await list_areas(
        scope.turn.session, level=AreaLevel.KALURAHAN, parent_id=kapanewon_id
    )
    return [
        Option(ANY, label(scope.texts, "notice-kalurahan-all")),
        *(Option(str(area.id), area.name) for area in kalurahans),
    ]


async def organisations(scope: Scope, role: str) -> list[str]:
    found = await scope.turn.session.scalars(
        select(RoleGrant.organisation)
        .where(RoleGrant.role == role, RoleGrant.organisation.is_not(None))
        .distinct()
        .order_by(RoleGrant.organisation)
    )
    return [name for name in found if name]


async def organisation_options(scope: Scope) -> list[Option]:
    names = await organisations(scope, scope.data[Step.ROLE])
    return [Option(ANY, label(scope.texts, "notice-organisation-any")), *map(_named, names)]


def _named(name: str) -> Option:
    return Option(name[:40], name)


async def role_params(scope: Scope) -> dict[str, object]:
    return {"role": label(scope.texts, f"role-{scope.data[Step.ROLE]}")}


async def kapanewon_params(scope: Scope) -> dict[str, object]:
    area = await scope.turn.session.get(Area, int(scope.data[Step.AREA]))
    return {"kapanewon": area.name if area else "?"}


async def after_role(scope: Scope) -> str:
    scope.data.pop(Step.AREA, None)
    scope.data.pop(Step.KALURAHAN, None)
    if Role(scope.data[Step.ROLE]) in AREA_ROLES:
        return Step.AREA
    return await after_area(scope)


async def after_area(scope: Scope) -> str:
    role, area = Role(scope.data[Step.ROLE]), scope.data.get(Step.AREA, ANY)
    if area != ANY and role in KALURAHAN_ROLES:
        return Step.KALURAHAN
    return await after_place(scope)


async def after_place(scope: Scope) -> str:
    if await organisations(scope, scope.data[Step.ROLE]):
        return Step.ORGANISATION
    scope.data[Step.ORGANISATION] = ANY
    return await add_segment(scope)


async def add_segment(scope: Scope) -> str:
    """The segment's choices are complete: add it to the audience."""
    data = scope.data
    area = data.get(Step.KALURAHAN, ANY)
    if area == ANY:
        area = data.get(Step.AREA, ANY)
    segment = [data[Step.ROLE], None if area == ANY else int(area), data[Step.ORGANISATION]]
    if segment[2] == ANY:
        segment[2] = None
    segments: list[Any] = data.setdefault(SEGMENTS, [])
    if segment not in segments:
        segments.append(segment)
    return Step.MORE


def choices_of(data: dict[str, Any]) -> list[SegmentChoice]:
    return [SegmentChoice(Role(role), area, org) for role, area, org in data.get(SEGMENTS, [])]


async def describe_segments(scope: Scope) -> Html:
    texts, session = scope.texts, scope.turn.session
    parts: list[Html] = []
    for choice in choices_of(scope.data):
        area = await session.get(Area, choice.area_id) if choice.area_id is not None else None
        parts.append(
            texts(
                "notice-segment",
                role=texts(f"role-{choice.role}"),
                area=texts("notice-segment-area", area=area.name) if area else "",
                organisation=texts("notice-segment-organisation", organisation=choice.organisation)
                if choice.organisation
                else "",
            )
        )
    return join(parts, "; ")


async def more_params(scope: Scope) -> dict[str, object]:
    return {"segments": await describe_segments(scope)}


async def after_more(scope: Scope) -> str:
    if scope.data.pop(Step.MORE, False):
        for step in (Step.ROLE, Step.AREA, Step.KALURAHAN, Step.ORGANISATION):
            scope.data.pop(step, None)
        return Step.ROLE
    return SUMMARY if scope.data.get("_summary") else Step.RSVP


async def after_rsvp(scope: Scope) -> str:
    return Step.EVENT if scope.data.get(Step.RSVP) else Step.WHEN


def max_days_ahead(scope: Scope) -> int:
    return 365


DEADLINES = keyed([("eve", "notice-deadline-eve"), ("day", "notice-deadline-day")])
WHENS = keyed(
    [("now", "notice-when-now"), ("hour", "notice-when-hour"), ("morning", "notice-when-morning")]
)


def send_time(data: dict[str, Any], now: datetime) -> datetime:
    choice = data.get(Step.WHEN, "now")
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "morning":
        tomorrow = now.astimezone(WIB).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MORNING, tzinfo=WIB)
    return now


def deadline_of(data: dict[str, Any]) -> datetime | None:
    if not data.get(Step.RSVP):
        return None
    event = date.fromisoformat(data[Step.EVENT])
    last = event if data.get(Step.DEADLINE) == "day" else event - timedelta(days=1)
    return datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=WIB)


def draft_notice(scope: Scope) -> Notice:
    """The notice as it would be stored, for the preview (not added to the session)."""
    return draft_of(scope.data)


def draft_of(data: dict[str, Any]) -> Notice:
    rsvp = bool(data.get(Step.RSVP))
    capacity = int(data.get(Step.CAPACITY) or 0) if rsvp else 0
    return Notice(
        id=0,
        text_html=data.get("text_html", ""),
        photo_file_id=data.get("photo"),
        document_file_id=data.get("document"),
        rsvp=rsvp,
        event_on=date.fromisoformat(data[Step.EVENT]) if rsvp else None,
        capacity=capacity or None,
    )


async def render(scope: Scope) -> Html:
    """The summary with the counts; the preview goes out as the next message."""
    texts, data, turn = scope.texts, scope.data, scope.turn
    recipients, unreachable = await audience_of(turn.session, choices=choices_of(data))
    notice = draft_notice(scope)
    rsvp: Html | str = ""
    deadline = deadline_of(data)
    if notice.rsvp and notice.event_on is not None and deadline is not None:
        rsvp = texts(
            "notice-summary-rsvp",
            date=day(texts, notice.event_on),
            capacity=notice.capacity or texts("notice-capacity-none"),
            deadline=when(texts, deadline),
        )
    moment = send_time(data, turn.now)
    summary = texts(
        "notice-summary",
        segments=await describe_segments(scope),
        recipients=len(recipients),
        unreachable=len(unreachable),
        rsvp=rsvp,
        when=texts("notice-send-now") if moment == turn.now else when(texts, moment),
    )
    await send_preview(scope, notice)
    return summary


async def send_preview(scope: Scope, notice: Notice) -> None:
    """The notice exactly as a recipient in the admin's language sees it."""
    texts, turn = scope.texts, scope.turn
    body = notice_body(texts, notice)
    markup_for = notice_markup(notice)
    markup = markup_for(texts) if callable(markup_for) else markup_for
    file_field = (
        "photo" if notice.photo_file_id else "document" if notice.document_file_id else None
    )
    if file_field is None:
        await turn.send(body, markup=markup)
        return
    file_id = notice.photo_file_id or notice.document_file_id
    method = "sendPhoto" if file_field == "photo" else "sendDocument"
    params: dict[str, Any] = {file_field: file_id, "parse_mode": "HTML"}
    if split_caption(visible_length(body), limit=CAPTION_LIMIT):
        await turn.call(method, params)
        await turn.send(body, markup=markup)
        return
    params["caption"] = body
    if markup is not None:
        params["reply_markup"] = markup
    await turn.call(method, params)


async def submit(scope: Scope) -> str:
    """Store the notice, show its progress message and wake the fan-out."""
    turn, data, texts = scope.turn, scope.data, scope.texts
    admin = user_of(scope)
    choices = choices_of(data)
    recipients, _ = await audience_of(turn.session, choices=choices)
    if not recipients:
        return await finish(scope, texts("notice-nobody"))
    draft = draft_notice(scope)
    moment = send_time(data, turn.now)
    notice = await create_notice(
        turn.session,
        admin=admin,
        text_html=draft.text_html,
        choices=choices,
        now=turn.now,
        send_at=moment,
        photo_file_id=draft.photo_file_id,
        document_file_id=draft.document_file_id,
        rsvp=draft.rsvp,
        event_on=draft.event_on,
        capacity=draft.capacity,
        rsvp_deadline=deadline_of(data),
    )
    key, values = (
        ("notice-started", {})
        if moment == turn.now
        else ("notice-scheduled", {"when": when(texts, moment)})
    )
    text = texts(key, number=notice.id, recipients=notice.recipients, **values)
    progress = await turn.reply(text, markup=cancel_markup(texts, notice))
    notice.progress_outbox_id = progress.id
    turn.wake_sweep(FAN_OUT)
    turn.wake_sweep(PROGRESS)
    return END


def edit_fields(scope: Scope) -> list[tuple[str, str]]:
    return [(Step.TEXT, "notice-field-text"), (Step.WHEN, "notice-field-when")]


BROADCAST = Flow(
    name=NAME,
    version=VERSION,
    first=Step.TEXT,
    steps={
        Step.TEXT: NoticeTextStep(),
        Step.ROLE: ChoiceStep(
            name=Step.ROLE,
            prompt="notice-ask-role",
            options=role_options,
            then=after_role,
            leads_to=(Step.AREA, Step.ORGANISATION, Step.MORE),
        ),
        Step.AREA: ChoiceStep(
            name=Step.AREA,
            prompt="notice-ask-area",
            params=role_params,
            options=area_options,
            then=after_area,
            leads_to=(Step.KALURAHAN, Step.ORGANISATION, Step.MORE),
        ),
        Step.KALURAHAN: ChoiceStep(
            name=Step.KALURAHAN,
            prompt="notice-ask-kalurahan",
            params=kapanewon_params,
            options=kalurahan_options,
            then=after_place,
            leads_to=(Step.ORGANISATION, Step.MORE),
        ),
        Step.ORGANISATION: ChoiceStep(
            name=Step.ORGANISATION,
            prompt="notice-ask-organisation",
            params=role_params,
            options=organisation_options,
            per_row=1,
            then=add_segment,
            leads_to=(Step.MORE,),
        ),
        Step.MORE: YesNoStep(
            name=Step.MORE,
            prompt="notice-ask-more",
            params=more_params,
            then=after_more,
            leads_to=(Step.ROLE, Step.RSVP, SUMMARY),
        ),
        Step.RSVP: YesNoStep(
            name=Step.RSVP,
            prompt="notice-ask-rsvp",
            then=after_rsvp,
            leads_to=(Step.EVENT, Step.WHEN),
        ),
        Step.EVENT: DateStep(
            name=Step.EVENT,
            prompt="notice-ask-event",
            max_days_ahead=max_days_ahead,
            then=Step.CAPACITY,
        ),
        Step.CAPACITY: NumberStep(
            name=Step.CAPACITY,
            prompt="notice-ask-capacity",
            maximum=MAX_CAPACITY,
            then=Step.DEADLINE,
        ),
        Step.DEADLINE: ChoiceStep(
            name=Step.DEADLINE, prompt="notice-ask-deadline", options=DEADLINES, then=Step.WHEN
        ),
        Step.WHEN: ChoiceStep(
            name=Step.WHEN, prompt="notice-ask-when", options=WHENS, per_row=1, then=SUMMARY
        ),
        SUMMARY: SummaryStep(render=render, submit=submit),
        EDIT: EditStep(fields=edit_fields),
    },
)
