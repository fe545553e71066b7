"""`/siaran` through the simulator against the real bot: audiences, preview, Kirim, delivery,
the report, cancelling, and delivery through Telegram's errors."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.vocabulary import Role
from models.notices import Notice, NoticeDelivery, NoticeStatus
from models.users import User
from telesim import SimUser
from tests.support.harness import BotHarness
from tests.support.notices import (
    SEND,
    copies,
    deactivate,
    join_as,
    latest_notice,
    wait_until_done,
    write_notice,
)

TEXT = "Pelatihan keberlanjutan SANIMAS hari Senin"


async def people(quick: BotHarness) -> dict[str, SimUser]:
    await quick.seed_ipals()
    return {
        "admin": await join_as(quick, Role.ADMIN, "Admin"),
        "triharjo": await join_as(quick, Role.MEMBER, "Triharjo", ipal="KP-WTS-01"),
        "bendungan": await join_as(quick, Role.MEMBER, "Bendungan", ipal="KP-WTS-02"),
        "pengasih": await join_as(quick, Role.MEMBER, "Pengasih", ipal="KP-PGR-01"),
        "sanitarian": await join_as(
            quick,
            Role.KAPANEWON_OFFICIAL,
            "Sanitarian",
            kapanewon="Wates",
            organisation="Puskesmas Wates",
        ),
        "official": await join_as(quick, Role.KAPANEWON_OFFICIAL, "Camat", kapanewon="Pengasih"),
        "aksansi": await join_as(
            quick, Role.PARTNER, "Aksansi", organisation="AKSANSI Kulon Progo"
        ),
        "forum": await join_as(quick, Role.PARTNER, "Forum", organisation="Forum Kabupaten Sehat"),
        "gone": await join_as(quick, Role.MEMBER, "Gone", ipal="KP-WTS-01"),
        "blocker": await join_as(quick, Role.MEMBER, "Blocker", ipal="KP-WTS-01"),
    }


async def make_unreachable(quick: BotHarness, who: dict[str, SimUser]) -> None:
    await deactivate(quick, who["gone"])
    quick.sim.block_bot(who["blocker"].id)
    await quick.settle()


THREE_SEGMENTS = (
    "anggota KSM",
    "Wates",
    "Triharjo",
    "Ya",
    "mitra",
    "AKSANSI Kulon Progo",
    "Ya",
    "petugas kapanewon",
    "Wates",
    "Semua lembaga",
    "Tidak",
    "Tidak",
    "Sekarang",
)


async def test_audience_reaches_exactly_its_segments(quick: BotHarness) -> None:
    """Members of one kalurahan, one partner organisation and one kapanewon's officials get
    one copy each; nobody else; deactivated and blocked users are counted, never sent to."""
    who = await people(quick)
    await make_unreachable(quick, who)
    admin = who["admin"]
    await write_notice(quick, admin, TEXT, *THREE_SEGMENTS)
    summary = quick.texts(admin)[-2]
    assert "3 penerima, 2 tidak terjangkau" in summary
    assert TEXT in quick.last_text(admin)  # the preview, as recipients will see it
    assert await latest_notice(quick) is None  # nothing before Kirim
    await quick.press(admin, SEND)
    notice = await wait_until_done(quick)
    assert notice.status is NoticeStatus.DONE
    reached = {name for name, user in who.items() if copies(quick, user, TEXT)}
    assert reached == {"admin", "triharjo", "aksansi", "sanitarian"}  # the admin: the preview
    for name in ("triharjo", "aksansi", "sanitarian"):
        assert copies(quick, who[name], TEXT) == 1
    assert copies(quick, admin, TEXT) == 1
    report = next(t for t in reversed(quick.texts(admin)) if "Laporan siaran" in t)
    assert "Terkirim: 3" in report and "Tidak terjangkau: 2" in report


async def test_a_whole_role_and_an_organisation_of_any_place(quick: BotHarness) -> None:
    """Every member of the district, and the partners of another organisation."""
    who = await people(quick)
    await make_unreachable(quick, who)
    admin = who["admin"]
    choices = ("anggota KSM", "Seluruh kabupaten", "Ya", "mitra", "Forum Kabupaten Sehat")
    await write_notice(quick, admin, TEXT, *choices, "Tidak", "Tidak", "Sekarang", SEND)
    await wait_until_done(quick)
    reached = {name for name, user in who.items() if name != "admin" and copies(quick, user, TEXT)}
    assert reached == {"triharjo", "bendungan", "pengasih", "forum"}


async def test_cancel_before_sending_sends_nothing(quick: BotHarness) -> None:
    """*Batal* on the preview stores no notice and reaches nobody."""
    who = await people(quick)
    admin = who["admin"]
    choices = ("anggota KSM", "Seluruh kabupaten", "Tidak", "Tidak", "Sekarang", "✖️ Batal")
    await write_notice(quick, admin, TEXT, *choices)
    assert await latest_notice(quick) is None
    assert all(copies(quick, who[name], TEXT) == 0 for name in who if name != "admin")


async def test_only_admins_send_notices(quick: BotHarness) -> None:
    """A member's `/siaran` is refused and starts nothing."""
    await quick.seed_ipals()
    member = await join_as(quick, Role.MEMBER, "Sri", ipal="KP-WTS-01")
    replies = await quick.say(member, "/siaran")
    assert [m.content for m in replies] == ["Hanya admin kabupaten yang bisa mengirim siaran."]


async def test_errors_and_rate_limits_during_delivery_still_one_copy_each(
    quick: BotHarness,
) -> None:
    """5xx and 429 answers while a notice goes out: everyone still gets exactly one copy."""
    who = await people(quick)
    admin = who["admin"]
    quick.sim.fail_next("sendMessage", status=500, count=2)
    quick.sim.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    choices = ("anggota KSM", "Seluruh kabupaten", "Tidak", "Tidak", "Sekarang", SEND)
    await write_notice(quick, admin, TEXT, *choices[:-1])
    await quick.press(admin, SEND)
    await wait_until_done(quick)
    for name in ("triharjo", "bendungan", "pengasih", "gone", "blocker"):
        assert copies(quick, who[name], TEXT) == 1, name
    async with quick.db.transaction() as session:
        delivered = await session.scalar(select(func.count()).select_from(NoticeDelivery))
        notice = await session.scalar(select(Notice))
    assert delivered == 5 and notice is not None and notice.recipients == 5


async def test_the_admin_sees_the_last_notices_with_their_figures(quick: BotHarness) -> None:
    """`/siaran` lists the notices sent before with how many were delivered."""
    who = await people(quick)
    admin = who["admin"]
    choices = ("mitra", "Semua lembaga", "Tidak", "Tidak", "Sekarang", SEND)
    await write_notice(quick, admin, TEXT, *choices)
    notice = await wait_until_done(quick)
    replies = await quick.say(admin, "/siaran")
    listing = replies[0].content or ""
    assert f"#{notice.id} selesai" in listing and "2 terkirim, 0 gagal dari 2" in listing
    async with quick.db.transaction() as session:
        partners = await session.scalars(select(User).where(User.first_name.in_(["Aksansi"])))
        assert [u.listed_name for u in partners] == ["Aksansi (AKSANSI Kulon Progo)"]


async def test_cancel_mid_way_keeps_what_was_sent(quick: BotHarness) -> None:
    """Three recipients have the notice, three wait out a 429: cancelling stops those three,
    and the admin is told how many went and how many were stopped."""
    await quick.seed_ipals()
    admin = await join_as(quick, Role.ADMIN, "Admin")
    members = [await join_as(quick, Role.MEMBER, f"M{n}", ipal="KP-WTS-01") for n in range(6)]
    choices = ("anggota KSM", "Seluruh kabupaten", "Tidak", "Tidak", "Sekarang")
    await write_notice(quick, admin, TEXT, *choices)
    summary = quick.sim.messages(admin.id)[-2]
    quick.sim.fail_next(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 120",
        count=3,
        retry_after=120,  # longer than a loaded machine takes to get to the cancel
        chats=[member.id for member in members],  # the admin's own messages go on
    )
    send = next(b for row in summary.inline_buttons() for b in row if b["text"] == SEND)
    await quick.sim.press_button(admin.id, summary.message_id, send["callback_data"])
    await quick.sim.wait_for(lambda: sum(copies(quick, m, TEXT) for m in members) == 3, timeout=25)
    notice = await latest_notice(quick)
    assert notice is not None
    query = await quick.sim.press_forged_button(
        admin.id, summary.message_id, f"1|n|cancel|{notice.id}"
    )
    await wait_until_done(quick)
    await quick.settle()
    assert sum(copies(quick, m, TEXT) for m in members) == 3
    assert all(copies(quick, m, TEXT) <= 1 for m in members)
    assert quick.sim.callback_answer(query) is not None
    report = "dibatalkan: 3 sudah terkirim, 3 tidak jadi dikirim"
    # the final report comes from the progress sweep, which edits at most every 5 s
    await quick.sim.wait_for(
        lambda: any(report in (m.content or "") for m in quick.sim.messages(admin.id)),
        timeout=25,
    )
    cancelled = await latest_notice(quick)
    assert cancelled is not None and cancelled.status is NoticeStatus.CANCELLED


async def test_a_text_too_long_is_refused_when_written(quick: BotHarness) -> None:
    """A text that, with the event lines the bot may add, would not fit in one Telegram message
    is refused at once with its length and the limit; a shorter one then goes on."""
    who = await people(quick)
    admin = who["admin"]
    await quick.say(admin, "/siaran")
    long_text = "a" * 4000 + "🙂" * 45  # 4,090 UTF-16 units
    replies = await quick.say(admin, long_text)
    refusal = "\n".join(reply.content or "" for reply in replies)
    assert "4090 karakter" in refusal and "terlalu panjang" in refusal, refusal
    assert "Persingkat" in refusal
    replies = await quick.say(admin, TEXT)
    assert "Kepada siapa" in (replies[-1].content or ""), replies[-1].content
    assert await latest_notice(quick) is None
