"""`/undang` through the simulator against the real bot: admins invite for every role, a
KSM chair only members of their own IPAL."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.vocabulary import Role
from models.invitations import Invitation
from tests.support.harness import BotHarness
from tests.support.people import (
    audit,
    command_names,
    forge,
    invite_through_bot,
    menu_labels,
    shared_code,
    user_of,
)

ROLE_PATHS = {
    Role.MEMBER: ("anggota KSM", "Wates", "IPAL Ngestiharjo Asri"),
    Role.CHAIR: ("ketua KSM", "Wates", "IPAL Ngestiharjo Asri"),
    Role.KALURAHAN_OFFICIAL: ("petugas kalurahan", "Wates", "Triharjo"),
    Role.KAPANEWON_OFFICIAL: ("petugas kapanewon", "Pengasih"),
    Role.OPERATOR: ("operator penyedotan",),
    Role.ADMIN: ("admin kabupaten",),
}
WELCOME = {
    Role.MEMBER: "anggota KSM IPAL Ngestiharjo Asri",
    Role.CHAIR: "ketua KSM IPAL Ngestiharjo Asri",
    Role.KALURAHAN_OFFICIAL: "petugas kalurahan Triharjo",
    Role.KAPANEWON_OFFICIAL: "petugas kapanewon Pengasih",
    Role.OPERATOR: "operator penyedotan",
    Role.ADMIN: "admin kabupaten",
}
MEMBER_MENU = "📝 Laporan bulanan"
INVITE_MENU = "✉️ Undang"
PEOPLE_MENU = "👥 Pengguna"


async def count_invitations(harness: BotHarness) -> int:
    async with harness.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Invitation)) or 0)


async def test_admin_invites_for_every_role_with_the_right_menu(quick: BotHarness) -> None:
    """Each role's invitation, made by buttons, joins with that role, scope and menu."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin")
    assert INVITE_MENU in menu_labels(quick, admin)
    assert {"undang", "pengguna"} <= set(command_names(quick, admin))
    for role, path in ROLE_PATHS.items():
        code = await invite_through_bot(quick, admin, *path, "5 orang", "7 hari")
        newcomer = quick.sim.add_user(first_name=f"Baru {role}", language_code="id")
        await quick.say(newcomer, f"/start {code}")
        assert WELCOME[role] in quick.last_text(newcomer)
        labels = menu_labels(quick, newcomer)
        assert (MEMBER_MENU in labels) is (role in (Role.MEMBER, Role.CHAIR))
        assert (INVITE_MENU in labels) is (role in (Role.CHAIR, Role.ADMIN))
        assert (PEOPLE_MENU in labels) is (role in (Role.CHAIR, Role.ADMIN))
    made = [entry for entry in await audit(quick, "invitation.create") if entry.actor == "bot"]
    assert len(made) == len(ROLE_PATHS)
    assert {entry.actor_user_id for entry in made} == {(await user_of(quick, admin)).id}


async def test_admin_invitation_shows_uses_expiry_and_link(quick: BotHarness) -> None:
    """The answer names who is invited, the uses and the end, then a message to forward."""
    await quick.seed_ipals()
    admin = await quick.join(Role.ADMIN, name="Admin")
    code = await invite_through_bot(quick, admin, "operator penyedotan", "5 orang", "7 hari")
    made, share = quick.texts(admin)[-2:]
    assert "Undangan dibuat untuk operator penyedotan: 5 orang, berlaku sampai" in made
    assert "23 Nov 2026" in made or "23 November 2026" in made
    assert f"https://t.me/sanimas_sim_bot?start={code}" in share
    assert f"ketik kode {code}" in share
    async with quick.db.transaction() as session:
        invitation = await session.scalar(select(Invitation).where(Invitation.code == code))
    assert invitation is not None and invitation.max_uses == 5


async def test_chair_invites_a_member_of_own_ipal(quick: BotHarness) -> None:
    """A chair skips role and IPAL: the invitation joins a member of the chair's IPAL."""
    await quick.seed_ipals()
    chair = await quick.join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01")
    await quick.say(chair, "/undang")
    assert "anggota KSM IPAL Ngestiharjo Asri" in quick.last_text(chair)
    assert quick.buttons(chair) == ["1 orang", "5 orang", "10 orang", "30 orang"]
    await quick.press(chair, "10 orang")
    await quick.press(chair, "30 hari")
    code = shared_code(quick, chair)
    member = quick.sim.add_user(first_name="Warga", language_code="id")
    await quick.say(member, f"/start {code}")
    assert "anggota KSM IPAL Ngestiharjo Asri" in quick.last_text(member)
    assert MEMBER_MENU in menu_labels(quick, member)
    assert INVITE_MENU not in menu_labels(quick, member)


FORGED = [
    "1|i|chair",
    "1|i|member|p3|1|7",
    "1|i|member|k1",
    "1|i|kalurahan_official|a2|1|7",
    "1|i|member|p1|1000|7",
    "1|i|member|p1|1|7|x",
]
"""Another role, another IPAL, an admin's step, an official's invitation, a number not
offered, one choice too many."""


async def test_chair_cannot_make_any_other_invitation(quick: BotHarness) -> None:
    """Forged buttons for another role, IPAL or choice are refused, audited, make nothing."""
    await quick.seed_ipals()
    chair = await quick.join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01")
    await quick.say(chair, "/undang")
    before = await count_invitations(quick)
    for forged in FORGED:
        answer = await forge(quick, chair, forged)
        assert answer["show_alert"] is True
        assert answer["text"] == "Anda tidak boleh melakukan ini. Tidak ada yang diubah."
    assert await count_invitations(quick) == before
    refused = await audit(quick, "button.refused")
    assert [entry.details["data"] for entry in refused] == FORGED


async def test_members_and_officials_may_not_invite(quick: BotHarness) -> None:
    """/undang answers a member plainly; a forged invitation button is refused."""
    await quick.seed_ipals()
    member = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.say(member, "/undang")
    assert quick.last_text(member) == "Hanya admin dan ketua KSM yang bisa membuat undangan."
    answer = await forge(quick, member, "1|i|member|p1|1|7")
    assert answer["show_alert"] is True
    assert await count_invitations(quick) == 1  # the one the member joined with
