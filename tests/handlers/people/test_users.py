"""`/pengguna` through the simulator against the real bot: admins find, deactivate, reactivate
users and remove roles; a KSM chair manages only the members of their own IPAL."""

from __future__ import annotations

from sqlalchemy import select

from domain.vocabulary import Role
from models.users import RoleGrant
from tests.support.harness import BotHarness
from tests.support.people import audit, command_names, forge, menu_labels, user_of

REFUSED = "Anda tidak boleh melakukan ini. Tidak ada yang diubah."


async def grants(harness: BotHarness, user_id: int) -> list[str]:
    async with harness.db.transaction() as session:
        query = select(RoleGrant.role).where(RoleGrant.user_id == user_id)
        return list(await session.scalars(query))


async def test_admin_finds_users_by_role_area_and_name(quick: BotHarness) -> None:
    """The filters and the name search list the right users; a user shows roles and activity."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin")
    await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.join(Role.MEMBER, name="Budi", ipal="KP-PGR-01")
    await quick.join(Role.KAPANEWON_OFFICIAL, name="Panewu", kapanewon="Wates")
    await quick.say(admin, "/pengguna")
    assert quick.buttons(admin)[:2] == ["Semua", "anggota KSM"]
    await quick.press(admin, "anggota KSM")
    assert quick.last_text(admin) == "Ditemukan 2 pengguna. Pilih salah satu:"
    assert quick.buttons(admin) == ["Sri", "Budi"]
    await quick.say(admin, "/pengguna")
    await quick.press(admin, "📍 Wates")
    assert quick.buttons(admin) == ["Sri", "Panewu"]
    await quick.say(admin, "/pengguna bud")
    assert quick.buttons(admin) == ["Budi"]
    await quick.press(admin, "Budi")
    shown = quick.last_text(admin)
    assert "Status: aktif" in shown
    assert "• anggota KSM IPAL Sido Resik" in shown
    assert "Terakhir aktif: 16 November 2026 09.00 WIB" in shown
    assert quick.buttons(admin) == ["✖ Cabut anggota KSM", "⛔ Nonaktifkan", "« Kembali ke daftar"]


async def test_admin_deactivates_and_reactivates_in_the_bot(quick: BotHarness) -> None:
    """A deactivated user loses the command list, is told once, then treated as a stranger;
    reactivated, they get their menu back; both are in the audit log with the admin."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin")
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(admin, "/pengguna sri")
    await quick.press(admin, "Sri")
    await quick.press(admin, "⛔ Nonaktifkan")
    assert "Sri dinonaktifkan" in quick.last_text(admin)
    assert "Status: nonaktif sejak" in quick.last_text(admin)
    assert "lapor" not in command_names(quick, sri)
    first = await quick.say(sri, "/status")
    assert "dinonaktifkan oleh admin" in (first[0].content or "")
    assert "Anda belum terdaftar" in (first[-1].content or "")
    again = await quick.say(sri, "/status")
    assert len(again) == 1
    assert "Anda belum terdaftar" in (again[0].content or "")
    await quick.press(admin, "✅ Aktifkan lagi")
    assert "Sri aktif lagi" in quick.last_text(admin)
    assert "sudah pulih" in quick.last_text(sri)
    assert "📝 Laporan bulanan" in menu_labels(quick, sri)
    assert "lapor" in command_names(quick, sri)
    admin_id, sri_id = (await user_of(quick, admin)).id, (await user_of(quick, sri)).id
    for action in ("user.deactivate", "user.reactivate"):
        [entry] = await audit(quick, action)
        assert (entry.actor, entry.actor_user_id, entry.subject) == (
            "bot",
            admin_id,
            f"user:{sri_id}",
        )


async def test_removed_role_changes_menu_and_commands_at_once(quick: BotHarness) -> None:
    """An admin removes a chair's role: the chair is told, and /undang leaves menu and commands."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin")
    chair = await quick.join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01")
    assert "undang" in command_names(quick, chair)
    await quick.say(admin, "/pengguna ketua")
    await quick.press(admin, "Ketua")
    await quick.press(admin, "✖ Cabut ketua KSM")
    assert "ketua KSM dicabut dari Ketua" in quick.last_text(admin)
    assert "(tidak ada peran)" in quick.last_text(admin)
    assert "ketua KSM IPAL Ngestiharjo Asri telah dicabut" in quick.last_text(chair)
    assert "undang" not in command_names(quick, chair)
    assert "lapor" not in command_names(quick, chair)
    assert "✉️ Undang" not in menu_labels(quick, chair)
    chair_id = (await user_of(quick, chair)).id
    assert await grants(quick, chair_id) == []
    [entry] = await audit(quick, "role.remove")
    assert entry.actor_user_id == (await user_of(quick, admin)).id
    assert entry.details["role"] == "chair"


async def test_chair_sees_and_removes_members_of_own_ipal_only(quick: BotHarness) -> None:
    """A chair lists the members of their IPAL, removes one; other IPALs' members stay hidden."""
    await quick.seed_ipals()
    chair = await quick.join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01")
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-02")
    await quick.say(chair, "/pengguna")
    assert quick.buttons(chair) == ["Sri"]
    await quick.say(chair, "/pengguna budi")
    assert quick.last_text(chair) == "Tidak ada pengguna yang ditemukan."
    await quick.say(chair, "/pengguna")
    await quick.press(chair, "Sri")
    assert quick.buttons(chair) == ["✖ Cabut anggota KSM", "« Kembali ke daftar"]
    await quick.press(chair, "✖ Cabut anggota KSM")
    assert "anggota KSM dicabut dari Sri" in quick.last_text(chair)
    assert await grants(quick, (await user_of(quick, sri)).id) == []
    assert "lapor" not in command_names(quick, sri)
    [entry] = await audit(quick, "role.remove")
    assert entry.actor_user_id == (await user_of(quick, chair)).id


async def test_chair_forged_buttons_are_refused(quick: BotHarness) -> None:
    """Seeing, removing or deactivating anyone outside the chair's IPAL is refused and audited."""
    await quick.seed_ipals()
    chair = await quick.join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01")
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    budi = await quick.join(Role.MEMBER, name="Budi", ipal="KP-WTS-02")
    sri_id, budi_id = (await user_of(quick, sri)).id, (await user_of(quick, budi)).id
    chair_id = (await user_of(quick, chair)).id
    async with quick.db.transaction() as session:
        budi_grant = await session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == budi_id))
        chair_grant = await session.scalar(
            select(RoleGrant.id).where(RoleGrant.user_id == chair_id)
        )
    await quick.say(chair, "/pengguna")
    forged = [
        f"1|u|v|{budi_id}|-",
        f"1|u|x|{budi_grant}|-",
        f"1|u|x|{chair_grant}|-",
        f"1|u|d|{sri_id}|-",
        "1|u|l|rmember",
        "1|u|l|a1",
        f"1|u|v|{sri_id}|rmember",
        f"1|u|v|{sri_id}|{'z' * 40}",
        "1|u|zz",
        "1|u|",
    ]
    for data in forged:
        answer = await forge(quick, chair, data)
        assert (answer["text"], answer["show_alert"]) == (REFUSED, True)
    assert "Budi" not in quick.last_text(chair)
    assert await grants(quick, budi_id) == ["member"]
    assert (await user_of(quick, sri)).deactivated_at is None
    assert [entry.details["data"] for entry in await audit(quick, "button.refused")] == forged
    assert await audit(quick, "role.remove") == []
