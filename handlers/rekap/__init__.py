"""Officials' figures: `/rekap` (a summary with a chart) and `/ekspor` (the data as XLSX).

/rekap  → text of the area (+ buttons to another area) → chart photo (after commit)
/ekspor → period buttons (or `/ekspor FROM TO`) → "preparing" → XLSX document (after commit)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import CallbackData, Kind, export_button, summary_button
from bot.export import ExportRequest
from bot.features import Feature
from bot.keyboards import inline
from bot.menus import MenuEntry
from bot.render import day, month
from bot.turn import Turn, handler, require_joined
from domain.access import Deed
from domain.summary import EXPORT_PERIODS, export_period, typed_period
from domain.vocabulary import Role
from handlers.rekap.area import Asked, home_of, resolve, switches
from handlers.rekap.jobs import Recipient, send_chart, send_export
from handlers.rekap.view import read_summary, summary_text
from models.summaries import Period
from models.users import User

OFFICIALS = frozenset({Role.KALURAHAN_OFFICIAL, Role.KAPANEWON_OFFICIAL, Role.ADMIN})
LEVELS = frozenset({"d", "k", "l", "i"})
PERIOD_NAMES = dict(zip(EXPORT_PERIODS, ("month", "quarter", "year"), strict=True))


@handler
async def rekap_command(turn: Turn) -> None:
    """Show the summary of the official's area."""
    await rekap_menu(turn)


async def rekap_menu(turn: Turn) -> None:
    user = await require_joined(turn)
    home = home_of(user) if user is not None else None
    if user is None or home is None:
        if user is not None:
            await turn.reply(turn.texts("rekap-not-allowed"))
        return
    await show_summary(turn, user, home[0], home[1] or 0)


@handler
async def press_summary(turn: Turn) -> None:
    """Show the summary of the area the button names, if the presser may see it."""
    pressed = _pressed(turn, Kind.SUMMARY, 2)
    if pressed is None or turn.user is None:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    level, area_id = pressed
    await turn.answer_button()
    await show_summary(turn, turn.user, level, area_id)


async def show_summary(turn: Turn, user: User, level: str, area_id: int) -> None:
    asked = await resolve(turn, user, Deed.SUMMARY, level, area_id)
    if asked is None:
        await turn.reply(turn.texts("rekap-refused"))
        return
    summary = await read_summary(turn, asked)
    choices = await switches(turn, user, asked)
    markup = inline([[(label, summary_button(lvl, to))] for label, lvl, to in choices])
    await turn.reply(summary_text(turn.texts, asked, summary), markup=markup if choices else None)
    title = turn.texts.plain(
        "rekap-chart-title", area=asked.plain_name, month=month(turn.texts, summary.months[-1])
    )
    to = _recipient(turn, user, f"rekap:{turn.update.update_id}")
    turn.after_commit(to.key, lambda: send_chart(to, summary, title=title))


@handler
async def export_command(turn: Turn) -> None:
    """Offer the periods to export, or export the typed dates (`/ekspor FROM TO`)."""
    message = turn.update.effective_message
    typed = (message.text or "").partition(" ")[2].strip() if message else ""
    await export_menu(turn, typed)


async def export_menu(turn: Turn, typed: str = "") -> None:
    user = await require_joined(turn)
    home = home_of(user) if user is not None else None
    if user is None or home is None:
        if user is not None:
            await turn.reply(turn.texts("rekap-not-allowed"))
        return
    asked = await resolve(turn, user, Deed.EXPORT, home[0], home[1] or 0)
    if asked is None:
        await turn.reply(turn.texts("rekap-refused"))
        return
    if typed:
        period = typed_period(typed)
        if period is None:
            await turn.reply(turn.texts("export-dates-invalid"))
            return
        await start_export(turn, user, asked, *period)
        return
    label = turn.texts.plain
    rows = [
        [(label(f"export-period-{name}"), export_button(code, asked.level, asked.area_id))]
        for code, name in PERIOD_NAMES.items()
    ]
    await turn.reply(turn.texts("export-choose", area=asked.name), markup=inline(rows))


@handler
async def press_export(turn: Turn) -> None:
    """Export the pressed period of the button's area, if the presser may."""
    pressed = _pressed(turn, Kind.EXPORT, 3)
    user = turn.user
    if pressed is None or user is None or pressed[0] not in EXPORT_PERIODS:
        await turn.answer_button(turn.texts("button-stale"), alert=True)
        return
    code, level, area_id = pressed
    asked = await resolve(turn, user, Deed.EXPORT, level, area_id)
    if asked is None:
        await turn.answer_button(turn.texts("rekap-refused"), alert=True)
        return
    await turn.answer_button()
    await start_export(turn, user, asked, *export_period(code, turn.now.date()))


async def start_export(turn: Turn, user: User, asked: Asked, first: date, last: date) -> None:
    texts = turn.texts
    await turn.reply(
        texts("export-preparing", area=asked.name, first=day(texts, first), last=day(texts, last))
    )
    request = ExportRequest(
        scope=asked.scope,
        period=Period(first, last),
        today=turn.now.date(),
        default_interval=turn.runtime.settings.reports.desludging_interval_months,
    )
    to = _recipient(turn, user, f"export:{turn.update.update_id}")
    turn.after_commit(to.key, lambda: send_export(to, request, area=asked.plain_name))


def _pressed(turn: Turn, kind: Kind, count: int) -> tuple[Any, ...] | None:
    """The button's arguments (the last one an id) when it is well formed, else None."""
    query = turn.update.callback_query
    data = CallbackData.decode(query.data if query else None)
    if query is None or not isinstance(query.message, Message):
        return None
    if data is None or data.kind is not kind or len(data.args) != count:
        return None
    *words, area_id = data.args
    if words[-1] not in LEVELS or not (area_id.isascii() and area_id.isdigit()):
        return None
    return (*words, int(area_id))


def _recipient(turn: Turn, user: User, key: str) -> Recipient:
    return Recipient(
        runtime=turn.runtime,
        bot=turn.update.get_bot(),
        user_id=user.id,
        chat_id=turn.chat_id,
        language=turn.language,
        key=key,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(["rekap", "summary"], rekap_command, private),
        CommandHandler(["ekspor", "export"], export_command, private),
        CallbackQueryHandler(press_summary, pattern=rf"^1\|{Kind.SUMMARY}\|"),
        CallbackQueryHandler(press_export, pattern=rf"^1\|{Kind.EXPORT}\|"),
    ]


def feature() -> Feature:
    """What this feature brings to the bot (read when the bot is composed)."""
    return Feature(
        name="rekap",
        handlers=handlers,
        menu=(
            MenuEntry(
                action="rekap",
                command="rekap",
                description="command-rekap",
                label="menu-rekap",
                start=rekap_menu,
                roles=OFFICIALS,
            ),
            MenuEntry(
                action="export",
                command="ekspor",
                description="command-export",
                label="menu-export",
                start=export_menu,
                roles=OFFICIALS,
            ),
        ),
    )
