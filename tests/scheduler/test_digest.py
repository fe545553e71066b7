"""The digest's buttons: one per figure, to the list that counts it."""

from __future__ import annotations

from datetime import date

from bot.callbacks import reminder_button
from bot.texts import Texts
from domain.vocabulary import Role
from scheduler.digest import Digest, digest_buttons

WEEK = Digest(
    problems_young=1,
    problems_middle=0,
    problems_old=2,
    missing_period=date(2027, 2, 1),
    missing=4,
    lltt_overdue=5,
    lltt_soon=1,
    scheduled=2,
)


def buttons(digest: Digest, role: Role) -> list[tuple[str, str]]:
    markup = digest_buttons(digest, role, Texts("id"))
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def test_each_figure_has_a_button_to_its_list() -> None:
    assert buttons(WEEK, Role.ADMIN) == [
        ("Masalah terbuka: 3", reminder_button("cmd", "tindaklanjut")),
        ("Belum lapor Februari 2027: 4", reminder_button("cmd", "rekap")),
        ("LLTT terlambat / segera: 6", reminder_button("cmd", "rekap")),
        ("Sedot lumpur minggu ini: 2", reminder_button("cmd", "jadwal")),
    ]


def test_an_official_is_sent_to_the_summary_for_the_schedule() -> None:
    """Officials have no `/jadwal` (the operators' queue): their area's desludging is in
    `/rekap`."""
    [*_, scheduled] = buttons(WEEK, Role.KALURAHAN_OFFICIAL)
    assert scheduled == ("Sedot lumpur minggu ini: 2", reminder_button("cmd", "rekap"))


def test_no_missing_button_before_the_grace_ends() -> None:
    early = Digest(1, 0, 0, None, 0, 0, 0, 0)
    assert [data for _, data in buttons(early, Role.ADMIN)] == [
        reminder_button("cmd", "tindaklanjut"),
        reminder_button("cmd", "rekap"),
        reminder_button("cmd", "jadwal"),
    ]
