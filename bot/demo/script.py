"""The demo's scripted walk as data: who joins, what they say and press, in order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.demo.answering import answer_conversation
from bot.demo.transcript import Person
from bot.demo.walk import StepError, Walk
from bot.menus import is_label
from domain.vocabulary import Role

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


async def official_follows_up(walk: Walk) -> None:
    """Wahyu acknowledges the reported problem with a note, then resolves it with what was
    done; his alert is edited each time and Sri is told both times."""
    member, official = walk.person("member"), walk.person("official")
    before = len(walk.sim.messages(member.user.id))
    await press_data(walk, official, "|ack|")
    await walk.say(official, "Besok pagi saya cek ke lokasi bersama operator KSM.")
    await press_data(walk, official, "|done|")
    await walk.say(official, "Pipa inlet sudah dibersihkan, aliran lancar lagi.")
    await press_data(walk, official, "|_skip")
    if len(walk.sim.messages(member.user.id)) < before + 2:
        raise StepError("demo-member-not-told", {"member": member.name})


async def press_data(walk: Walk, person: Person, part: str) -> None:
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


WALK: tuple[Step, ...] = (
    Step("demo-step-admin-joins", admin_joins),
    Step("demo-step-people-join", member_and_official_join),
    Step("demo-step-status", ask_status),
    Step("demo-step-wrong-code", wrong_code),
    Step("demo-step-language", switch_language),
    Step("demo-step-report", monthly_report),
    Step("demo-step-follow-up", official_follows_up),
)
