"""The demo's scripted walk as data: who joins, what they say and press, in order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time

from bot.clock import WIB
from bot.demo.answering import answer_conversation
from bot.demo.transcript import Person
from bot.demo.walk import StepError, Walk
from bot.menus import is_label
from domain.vocabulary import Role
from models.areas import find_ipal
from scheduler.registry import SWEEPS, run_sweeps

MEMBER_IPAL = "KP-WTS-01"
"""The member's IPAL; the official is invited for its kalurahan (see `demo.DEMO_IPALS`)."""


@dataclass(frozen=True)
class Step:
    title: str
    """A catalogue key."""
    act: Callable[[Walk], Awaitable[None]]


async def admin_joins(walk: Walk) -> None:
    """An invitation for the district admin, then her /start with its code."""
    code = await walk.invite(Role.ADMIN)
    walk.transcript.say(f"🛠  sanimas invite create --role admin  →  {code}")
    admin = walk.add_person("admin", "Ratna", "admin kabupaten")
    await walk.say(admin, f"/start {code}")


async def member_and_official_join(walk: Walk) -> None:
    """A KSM member of the IPAL and an official of its kalurahan, each with their own code."""
    ipal = walk.ipals[MEMBER_IPAL]
    member_code = await walk.invite(Role.MEMBER, ipal=MEMBER_IPAL)
    official_code = await walk.invite(
        Role.KALURAHAN_OFFICIAL, kapanewon=ipal.kapanewon, kalurahan=ipal.kalurahan
    )
    walk.transcript.say(
        f"🛠  sanimas invite create --role member --ipal {MEMBER_IPAL}  →  {member_code}"
    )
    walk.transcript.say(
        f"🛠  sanimas invite create --role kalurahan-official --kapanewon {ipal.kapanewon} "
        f"--kalurahan {ipal.kalurahan}  →  {official_code}"
    )
    member = walk.add_person("member", "Sri", "anggota KSM")
    official = walk.add_person("official", "Wahyu", "petugas kalurahan")
    await walk.say(member, f"/start {member_code}")
    await walk.say(official, f"/start {official_code}")


async def ask_status(walk: Walk) -> None:
    """/status: the latest report, open problems and requests, the next LLTT date."""
    await walk.say(walk.person("member"), "/status")


async def wrong_code(walk: Walk) -> None:
    await walk.say(walk.person("member"), "/start KODESALAH9")


async def switch_language(walk: Walk) -> None:
    member = walk.person("member")
    await walk.say(member, "/bahasa")
    await walk.press_label(member, "English")


async def monthly_report(walk: Walk) -> None:
    """Tap the menu's report button, answer every question, send; the official is alerted."""
    member, official = walk.person("member"), walk.person("official")
    before = len(walk.sim.messages(official.user.id))
    await walk.say(member, menu_label(walk, member, "menu-report"))
    await answer_conversation(walk, member)
    if len(walk.sim.messages(official.user.id)) == before:
        raise StepError("demo-no-alert", {"official": official.name, "member": member.name})


async def desludging_done(walk: Walk) -> None:
    """An operator joins; Sri asks for desludging; from `/jadwal` the operator schedules it and
    records it done (the IPAL's next LLTT date moves); Sri rates the service."""
    code = await walk.invite(Role.OPERATOR)
    walk.transcript.say(f"🛠  sanimas invite create --role operator  →  {code}")
    operator = walk.add_person("operator", "Joko", "operator sedot lumpur")
    await walk.say(operator, f"/start {code}")
    member = walk.person("member")
    await walk.say(member, "/sedot")
    await answer_conversation(walk, member)
    await walk.say(operator, "/jadwal")
    number = (await press_data(walk, operator, "1|d|sch|")).rsplit("|", 1)[-1]
    await answer_conversation(walk, operator)
    await walk.say(operator, "/jadwal")
    await press_data(walk, operator, f"1|d|fin|{number}")
    await answer_conversation(walk, operator)
    await press_data(walk, member, f"1|r|{number}|s|5")
    for item in ("no_spillage", "protective_gear", "site_clean"):
        await press_data(walk, member, f"1|r|{number}|t|{item}")
    await press_data(walk, member, f"1|r|{number}|end|")
    await walk.say(member, "/status")


async def press_data(walk: Walk, person: Person, prefix: str) -> str:
    """Press the newest button whose callback data starts with `prefix`; its data."""
    for message in reversed(walk.sim.messages(person.user.id)):
        for row in message.inline_buttons():
            for button in row:
                data = str(button.get("callback_data") or "")
                if data.startswith(prefix):
                    await walk.press(person, message, button["text"], data)
                    return data
    raise StepError("demo-no-button", {"name": person.name, "label": prefix})


async def lltt_reminder(walk: Walk) -> None:
    """`sanimas sweep` on the IPAL's LLTT due date: Sri is reminded, and the reminder's
    button opens the desludging request with the reason LLTT already chosen."""
    member = walk.person("member")
    async with walk.runtime.db.transaction() as session:
        ipal = await find_ipal(session, code=MEMBER_IPAL)
    if ipal is None or ipal.lltt_due_on is None:
        raise StepError("demo-no-answer", {"what": MEMBER_IPAL})
    at = datetime.combine(ipal.lltt_due_on, time(9, 0), WIB)
    walk.transcript.say(f"🛠  sanimas sweep --at {at.isoformat()}")
    lltt = [sweep for sweep in SWEEPS if sweep.name == "reminders:lltt"]
    await run_sweeps(walk.runtime, at=at, sweeps=lltt, deliver_from=walk.clock.now())
    await walk.settle(f"sanimas sweep --at {at.isoformat()}")
    walk.transcript.show_new(member)
    for message in reversed(walk.sim.messages(member.user.id)):
        for row in message.inline_buttons():
            for button in row:
                if str(button.get("callback_data", "")).startswith("1|m|lltt|"):
                    await walk.press(member, message, button["text"], button["callback_data"])
                    return
    raise StepError("demo-no-button", {"name": member.name, "label": "LLTT"})


async def official_follows_up(walk: Walk) -> None:
    """Wahyu acknowledges the reported problem with a note, then resolves it with what was
    done; his alert is edited each time and Sri is told both times."""
    member, official = walk.person("member"), walk.person("official")
    before = len(walk.sim.messages(member.user.id))
    await press_holding(walk, official, "|ack|")
    await walk.say(official, "Besok pagi saya cek ke lokasi bersama operator KSM.")
    await press_holding(walk, official, "|done|")
    await walk.say(official, "Pipa inlet sudah dibersihkan, aliran lancar lagi.")
    await press_holding(walk, official, "|_skip")
    if len(walk.sim.messages(member.user.id)) < before + 2:
        raise StepError("demo-member-not-told", {"member": member.name})


async def press_holding(walk: Walk, person: Person, part: str) -> None:
    """Press the first button whose data holds `part`, on the newest message showing one."""
    for message in reversed(walk.sim.messages(person.user.id)):
        for row in message.inline_buttons():
            for button in row:
                if part in str(button.get("callback_data", "")):
                    await walk.press(person, message, button["text"], button["callback_data"])
                    return
    raise StepError("demo-no-button", {"name": person.name, "label": part})


def menu_label(walk: Walk, person: Person, key: str) -> str:
    """The label of catalogue key `key` on the reply keyboard the person sees now."""
    for row in walk.sim.reply_keyboard(person.user.id) or []:
        for label in row:
            if is_label(label, key):
                return label
    raise StepError("demo-no-menu-button", {"name": person.name, "action": key})


PARTNER = "AKSANSI Kulon Progo"
TRAINING = (
    "Pelatihan keberlanjutan SANIMAS: hari pertama untuk KSM/KPP dan AKSANSI. "
    "Mohon konfirmasi kehadiran."
)


async def training_notice(walk: Walk) -> None:
    """A partner of AKSANSI joins; the admin sends a training notice with RSVP to the KSM
    members and to AKSANSI; the partner says *Hadir*; the delivery report comes back."""
    code = await walk.invite(Role.PARTNER, organisation=PARTNER)
    walk.transcript.say(
        f'🛠  sanimas invite create --role partner --organisation "{PARTNER}"  →  {code}'
    )
    partner = walk.add_person("partner", "Budi", "mitra")
    await walk.say(partner, f"/start {code}")
    admin = walk.person("admin")
    await walk.say(admin, "/siaran")
    await walk.say(admin, TRAINING)
    for label in ("anggota KSM", "Seluruh kabupaten", "Ya", "mitra", PARTNER, "Tidak", "Ya"):
        await walk.press_label(admin, label)
    await walk.press_label(admin, day_after_tomorrow(walk, admin))
    await walk.say(admin, "30")
    for label in ("Sampai H-1", "Sekarang", "✅ Kirim"):
        await walk.press_label(admin, label)
    await walk.wait_for_text(partner, TRAINING, "notice")
    await walk.press_label(partner, "✅ Hadir")
    await walk.wait_for_text(admin, "Laporan siaran", "report")


def day_after_tomorrow(walk: Walk, person: Person) -> str:
    for message in reversed(walk.sim.messages(person.user.id)):
        for row in message.inline_buttons():
            for button in row:
                if button["text"].startswith("Lusa"):
                    return str(button["text"])
    raise StepError("demo-no-button", {"name": person.name, "label": "Lusa"})


WALK: tuple[Step, ...] = (
    Step("demo-step-admin-joins", admin_joins),
    Step("demo-step-people-join", member_and_official_join),
    Step("demo-step-status", ask_status),
    Step("demo-step-wrong-code", wrong_code),
    Step("demo-step-language", switch_language),
    Step("demo-step-report", monthly_report),
    Step("demo-step-follow-up", official_follows_up),
    Step("demo-step-desludging", desludging_done),
    Step("demo-step-lltt", lltt_reminder),
    Step("demo-step-notice", training_notice),
)
