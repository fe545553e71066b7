"""A notice's RSVP answers as rows and as an XLSX workbook (name, role, organisation or area,
answer, when)."""

from __future__ import annotations

import io

from sqlalchemy.ext.asyncio import AsyncSession

from bot.render import person, when
from bot.texts import Texts
from models.notices import Notice, rsvp_list
from models.users import User

HEADER_KEYS = ("field-name", "field-role", "field-where", "field-answer", "field-when")


def where_of(user: User) -> str:
    """The user's organisations, else the places of their roles."""
    organisations = dict.fromkeys(g.organisation for g in user.roles if g.organisation)
    if organisations:
        return ", ".join(organisations)
    places = dict.fromkeys(
        (g.ipal.name if g.ipal else g.area.name if g.area else "") for g in user.roles
    )
    return ", ".join(p for p in places if p) or "-"


async def rsvp_rows(
    session: AsyncSession, notice: Notice, *, texts: Texts
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for rsvp, user in await rsvp_list(session, notice_id=notice.id):
        roles = ", ".join(dict.fromkeys(texts.plain(f"role-{g.role}") for g in user.roles))
        rows.append(
            (
                person(user),
                roles or "-",
                where_of(user),
                texts.plain(f"rsvp-answer-{rsvp.standing}"),
                when(texts, rsvp.answered_at),
            )
        )
    return rows


def rsvp_workbook(texts: Texts, rows: list[tuple[str, ...]]) -> bytes:
    """One sheet: a header row, then one row per answer."""
    buffer = io.BytesIO()
    import xlsxwriter  # loaded when first used: `sanimas run` starts without it

    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("RSVP")
    bold = workbook.add_format({"bold": True})
    for column, key in enumerate(HEADER_KEYS):
        sheet.write(0, column, texts.plain(key), bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(number, column, value)
    sheet.set_column(0, len(HEADER_KEYS) - 1, 24)
    workbook.close()
    return buffer.getvalue()
