"""`/ekspor` through the simulator and `sanimas export`: the workbook read back with openpyxl."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli.console import Console
from bot.cli.export import export_data
from bot.clock import SystemClock
from bot.export import XLSX_TYPE
from bot.settings import ExplicitSettings
from bot.texts import Texts
from domain.vocabulary import Role
from models.database import Database
from tests.conftest import START
from tests.handlers.rekap.conftest import seed_history
from tests.handlers.rekap.workbook import (
    SHEETS,
    check_layout,
    check_problems,
    check_reports,
    check_requests,
    expected_problems,
    expected_reports,
    expected_requests,
    near,
    read_workbook,
    values,
)
from tests.support.harness import BotHarness
from tests.support.reports import quick_harness

YEAR = (date(2026, 1, 1), date(2026, 11, 16))


async def test_a_kalurahan_official_exports_the_year_of_their_kalurahan_only(
    quick: BotHarness,
) -> None:
    """The period buttons, "preparing", then an XLSX of four sheets whose cells have the
    database's values and types, with no row of another kalurahan."""
    await quick.seed_ipals()
    official = await quick.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
    )
    await seed_history(quick, reporter_id=1)
    choose = await quick.say(official, "📤 Ekspor")
    assert "Ekspor data Kalurahan Triharjo" in (choose[-1].content or "")
    assert quick.buttons(official) == ["Bulan ini", "3 bulan terakhir", "Tahun ini"]
    preparing, document = await quick.press(official, "Tahun ini")
    assert preparing.content == (
        "⏳ Menyiapkan berkas Kalurahan Triharjo, 1 Januari 2026 – 16 November 2026…"
    )
    assert document.kind == "document"
    assert document.media["document"]["mime_type"] == XLSX_TYPE
    assert document.caption == (
        "📤 Data Kalurahan Triharjo, 1 Januari 2026 – 16 November 2026: 7 baris."
    )
    actions = [c.params["action"] for c in quick.sim.calls if c.method == "sendChatAction"]
    assert "upload_document" in actions
    sheets = read_workbook(quick.sim.file_content(document))
    assert list(sheets) == SHEETS
    for worksheet in sheets.values():
        check_layout(worksheet)
    check_reports(sheets["Laporan bulanan"], await expected_reports(quick, ["KP-WTS-01"], *YEAR))
    problems = await expected_problems(quick, ["KP-WTS-01"])
    check_problems(sheets["Masalah"], problems)
    followed = [row for row in values(sheets["Masalah"]) if row[11]]
    assert [near(row[12], datetime(2026, 11, 6, 9, 0), slack=60) for row in followed] == [True]
    assert [(row[11], row[13]) for row in followed] == [
        (
            3,
            "2026-10-28 09:00 ditindaklanjuti oleh Lurah: dicek besok pagi; "
            "2026-10-29 09:00 selesai oleh Lurah: pipa <dibersihkan> "
            "(kata pelapor: belum beres); 2026-11-06 09:00 terbuka oleh Lurah",
        )
    ]  # fmt: skip
    requests = await expected_requests(quick, ["KP-WTS-01"], *YEAR)
    check_requests(sheets["Sedot lumpur"], requests)  # Bendungan's are not there
    assert [row[13:20] for row in values(sheets["Sedot lumpur"])] == [
        ["UPT Wates", datetime(2026, 9, 20), 3.5, 4, True, False, False]
    ]
    assert values(sheets["Daftar IPAL"]) == [
        [
            "KP-WTS-01", "IPAL Ngestiharjo Asri", "Wates", "Triharjo", 60, 2019,
            datetime(2026, 9, 20), 24, 3, 11, pytest.approx(3 / 11), datetime(2028, 9, 20), 1,
        ]
    ]  # fmt: skip
    header = next(sheets["Laporan bulanan"].iter_rows(max_row=1, values_only=True))
    assert header[10] == "Iuran terkumpul"
    assert '"Rp"' in sheets["Laporan bulanan"]["K2"].number_format
    problem_header = next(sheets["Masalah"].iter_rows(max_row=1, values_only=True))
    assert problem_header[11:] == (
        "Jumlah tindak lanjut", "Tindak lanjut terakhir", "Riwayat tindak lanjut",
    )  # fmt: skip
    request_header = next(sheets["Sedot lumpur"].iter_rows(max_row=1, values_only=True))
    assert request_header[16:] == (
        "Bintang", "Tidak tumpah", "Alat pelindung", "Lokasi bersih", "Dinilai pada",
    )  # fmt: skip
    assert sheets["Sedot lumpur"]["P2"].number_format == "0.00"


async def test_typed_dates_export_that_period_and_bad_dates_are_explained(
    quick: BotHarness,
) -> None:
    """`/ekspor FROM TO` exports those days of the kapanewon; unreadable dates get the form."""
    await quick.seed_ipals()
    official = await quick.join(Role.KAPANEWON_OFFICIAL, name="Panewu", kapanewon="Wates")
    await seed_history(quick, reporter_id=1)
    refused = await quick.say(official, "/ekspor 2026-10-31 2026-10-01")
    assert "Tanggal tidak dapat dibaca" in (refused[-1].content or "")
    _, document = await quick.say(official, "/ekspor 2026-11-01 2026-11-30")
    sheets = read_workbook(quick.sim.file_content(document))
    november = (date(2026, 11, 1), date(2026, 11, 30))
    codes = ["KP-WTS-01", "KP-WTS-02"]
    check_reports(sheets["Laporan bulanan"], await expected_reports(quick, codes, *november))
    assert len(values(sheets["Laporan bulanan"])) == 2
    check_requests(sheets["Sedot lumpur"], await expected_requests(quick, codes, *november))
    requests = values(sheets["Sedot lumpur"])
    assert len(requests) == 1
    assert requests[0][:8] == [
        "KP-WTS-02", "IPAL Sidomulyo", "Wates", "Bendungan", 3, "🪣 Lumpur penuh",
        datetime(2026, 12, 1), "penuh <segera>",
    ]  # fmt: skip


async def test_the_command_line_writes_the_same_workbook(
    quick: BotHarness,
    database_url: tuple[str, str | None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`sanimas export --kapanewon Wates --kalurahan Bendungan` writes only Bendungan's rows;
    an unknown kalurahan and a bad date are refused."""
    await quick.seed_ipals()
    await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-02")
    await seed_history(quick, reporter_id=1)
    url, schema = database_url
    settings = ExplicitSettings.model_validate(
        {"database": {"url": url, "schema_name": schema}, "clock": {"start": START.isoformat()}}
    )
    console = Console(Texts("id"))
    out = tmp_path / "bendungan.xlsx"
    arguments = argparse.Namespace(
        out=str(out), first="2026-01-01", last=None, kapanewon="Wates", kalurahan="Bendungan"
    )
    assert await export_data(settings, arguments, console) == 0
    assert f"baris ditulis ke {out}" in capsys.readouterr().out
    sheets = read_workbook(out.read_bytes())
    check_reports(sheets["Laporan bulanan"], await expected_reports(quick, ["KP-WTS-02"], *YEAR))
    check_problems(sheets["Masalah"], await expected_problems(quick, ["KP-WTS-02"]))
    requests = await expected_requests(quick, ["KP-WTS-02"], *YEAR)
    check_requests(sheets["Sedot lumpur"], requests)
    assert [(row[0], row[13], row[16]) for row in values(sheets["Sedot lumpur"])] == [
        ("KP-WTS-02", "Mitra Sedot", 2),
        ("KP-WTS-02", None, None),
    ]  # the done and rated one, then the open one; none of Triharjo's
    assert [row[0] for row in values(sheets["Daftar IPAL"])] == ["KP-WTS-02"]
    unknown = argparse.Namespace(
        out=str(out), first=None, last=None, kapanewon="Wates", kalurahan="Nowhere"
    )
    assert await export_data(settings, unknown, console) == 1
    bad = argparse.Namespace(
        out=str(out), first="2026-13-01", last=None, kapanewon=None, kalurahan=None
    )
    assert await export_data(settings, bad, console) == 2
    assert "2026-13-01 bukan tanggal" in capsys.readouterr().err


async def test_a_file_over_the_upload_limit_is_refused_with_what_to_do(
    database: Database, database_url: tuple[str, str | None], clock: SystemClock
) -> None:
    """With a (tiny) limit below the workbook's size, the official is told to choose a
    shorter period and no document is sent."""
    assert database is not None  # migrated
    async with quick_harness(database_url, clock, export={"upload_limit_mb": 0.001}) as bot:
        await bot.seed_ipals()
        official = await bot.join(Role.ADMIN, name="Admin")
        await seed_history(bot, reporter_id=1)
        preparing, refusal = await bot.say(official, "/ekspor 2026-01-01 2026-11-16")
        assert preparing.content and preparing.content.startswith("⏳ Menyiapkan berkas")
        assert refusal.kind == "text"
        assert "lebih besar dari batas kirim 0.001 MB. Pilih periode yang lebih pendek" in (
            refusal.content or ""
        )
