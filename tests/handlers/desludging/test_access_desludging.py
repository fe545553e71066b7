"""Who may use the operators' and members' desludging commands and buttons, as a table: every
role (and a stranger) × /jadwal, *Jadwalkan*, *Tolak*, *Selesai dikerjakan*, cancelling from
/status and rating × a request of their own IPAL or area and one of another. Each press is
checked on the server from the database; a refusal is written to the audit log and changes
nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.texts import Texts
from domain.vocabulary import Role
from models.desludging import DesludgingRating, DesludgingRequest
from telesim import SimUser
from tests.support.harness import BotHarness
from tests.support.people import audit
from tests.support.reports import rows, texts_of

OK, REFUSED, JOIN = "ok", "refused", "join"

# role, action, on a request of their own IPAL or area, on one of another
TABLE = [
    ("member", "/jadwal", REFUSED, REFUSED),
    ("member", "Jadwalkan", REFUSED, REFUSED),
    ("member", "Tolak", REFUSED, REFUSED),
    ("member", "Selesai dikerjakan", REFUSED, REFUSED),
    ("member", "cancel", OK, REFUSED),
    ("member", "rating", OK, REFUSED),
    ("chair", "/jadwal", REFUSED, REFUSED),
    ("chair", "Jadwalkan", REFUSED, REFUSED),
    ("chair", "Tolak", REFUSED, REFUSED),
    ("chair", "Selesai dikerjakan", REFUSED, REFUSED),
    ("chair", "cancel", OK, REFUSED),
    ("chair", "rating", REFUSED, REFUSED),
    ("kalurahan_official", "/jadwal", REFUSED, REFUSED),
    ("kalurahan_official", "Jadwalkan", REFUSED, REFUSED),
    ("kalurahan_official", "Tolak", REFUSED, REFUSED),
    ("kalurahan_official", "Selesai dikerjakan", REFUSED, REFUSED),
    ("kalurahan_official", "cancel", REFUSED, REFUSED),
    ("kalurahan_official", "rating", REFUSED, REFUSED),
    ("kapanewon_official", "/jadwal", REFUSED, REFUSED),
    ("kapanewon_official", "Jadwalkan", REFUSED, REFUSED),
    ("kapanewon_official", "Tolak", REFUSED, REFUSED),
    ("kapanewon_official", "Selesai dikerjakan", REFUSED, REFUSED),
    ("kapanewon_official", "cancel", REFUSED, REFUSED),
    ("kapanewon_official", "rating", REFUSED, REFUSED),
    ("operator", "/jadwal", OK, OK),
    ("operator", "Jadwalkan", OK, OK),
    ("operator", "Tolak", OK, OK),
    ("operator", "Selesai dikerjakan", OK, OK),
    ("operator", "cancel", REFUSED, REFUSED),
    ("operator", "rating", REFUSED, REFUSED),
    ("admin", "/jadwal", OK, OK),
    ("admin", "Jadwalkan", OK, OK),
    ("admin", "Tolak", OK, OK),
    ("admin", "Selesai dikerjakan", OK, OK),
    ("admin", "cancel", OK, OK),
    ("admin", "rating", REFUSED, REFUSED),
    ("partner", "/jadwal", REFUSED, REFUSED),
    ("partner", "Jadwalkan", REFUSED, REFUSED),
    ("partner", "Tolak", REFUSED, REFUSED),
    ("partner", "Selesai dikerjakan", REFUSED, REFUSED),
    ("partner", "cancel", REFUSED, REFUSED),
    ("partner", "rating", REFUSED, REFUSED),
    ("stranger", "/jadwal", JOIN, JOIN),
    ("stranger", "Jadwalkan", REFUSED, REFUSED),
    ("stranger", "Tolak", REFUSED, REFUSED),
    ("stranger", "Selesai dikerjakan", REFUSED, REFUSED),
    ("stranger", "cancel", REFUSED, REFUSED),
    ("stranger", "rating", REFUSED, REFUSED),
]
"""The member asked for both of their IPAL's requests, so only they may rate; /jadwal lists
every area's requests, so own and other are the same list."""

BUTTON_DATA = {
    "Jadwalkan": "1|d|sch|{id}",
    "Tolak": "1|d|rej|{id}",
    "Selesai dikerjakan": "1|d|fin|{id}",
    "cancel": "1|d|x|{id}",
    "rating": "1|r|{id}|s|5",
}
TEXTS = Texts("id")


@dataclass
class Scene:
    """KP-WTS-01 (Triharjo, Wates), the people around it, and KP-PGR-01 elsewhere; on each a
    done request (to rate) and a scheduled one (to act on)."""

    people: dict[str, SimUser]
    done: dict[str, int]
    scheduled: dict[str, int]


async def request(quick: BotHarness, member: SimUser) -> None:
    await quick.say(member, "/sedot")
    for text in ("lumpur penuh", "besok", "lewati", "kirim"):
        await quick.say(member, text)


async def operate(quick: BotHarness, operator: SimUser, data: str, *answers: str) -> None:
    message = quick.sim.messages(operator.id)[-1]
    await quick.sim.press_forged_button(operator.id, message.message_id, data)
    await quick.settle()
    for answer in answers:
        await quick.say(operator, answer)


async def build_scene(quick: BotHarness) -> Scene:
    await quick.seed_ipals()
    join = quick.join
    people = {
        "member": await join(Role.MEMBER, name="Sri", ipal="KP-WTS-01"),
        "chair": await join(Role.CHAIR, name="Ketua", ipal="KP-WTS-01"),
        "kalurahan_official": await join(
            Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Triharjo"
        ),
        "kapanewon_official": await join(Role.KAPANEWON_OFFICIAL, name="Panewu", kapanewon="Wates"),
        "operator": await join(Role.OPERATOR, name="Operator"),
        "admin": await join(Role.ADMIN, name="Admin"),
        "partner": await join(Role.PARTNER, name="Mitra"),
        "stranger": quick.sim.add_user(first_name="Asing", language_code="id"),
    }
    elsewhere = await join(Role.MEMBER, name="Warga Lain", ipal="KP-PGR-01")
    await quick.say(people["stranger"], "halo")
    operator = people["operator"]
    for number, member in ((1, people["member"]), (2, elsewhere)):
        await request(quick, member)
        await operate(quick, operator, f"1|d|sch|{number}", "besok", "lewati")
        await operate(quick, operator, f"1|d|fin|{number}", "2", "lewati")
    for number, member in ((3, people["member"]), (4, elsewhere)):
        await request(quick, member)
        await operate(quick, operator, f"1|d|sch|{number}", "besok", "lewati")
    states = {row.id: row.state for row in await rows(quick, DesludgingRequest)}
    assert states == {1: "done", 2: "done", 3: "scheduled", 4: "scheduled"}
    return Scene(people, done={"own": 1, "other": 2}, scheduled={"own": 3, "other": 4})


async def outcome(quick: BotHarness, scene: Scene, role: str, action: str, where: str) -> str:
    """What the user of `role` got for `action` on the request of `where` (own or other)."""
    user = scene.people[role]
    if action == "/jadwal":
        text = texts_of(await quick.say(user, "/jadwal"))
        if "Antrian sedot lumpur" in text:
            return OK
        return JOIN if text == plain("join-needed") else REFUSED if text == refused() else text
    number = (scene.done if action == "rating" else scene.scheduled)[where]
    data = BUTTON_DATA[action].format(id=number)
    message = asked_to_rate(quick, user, number) if action == "rating" else None
    target = message or quick.sim.messages(user.id)[-1].message_id
    before = len(quick.sim.messages(user.id))
    query = await quick.sim.press_forged_button(user.id, target, data)
    await quick.settle()
    answer = quick.sim.callback_answer(query) or {}
    if answer.get("text") == refused():
        return REFUSED
    changed = len(quick.sim.messages(user.id)) > before or action == "rating"
    return OK if changed else f"nothing happened: {answer}"


def asked_to_rate(quick: BotHarness, user: SimUser, number: int) -> int | None:
    """The message that asked this user to rate request `number`, when there is one."""
    asking = plain("desludging-rate-ask", number=number)
    for message in quick.sim.messages(user.id):
        if message.content == asking:
            return message.message_id
    return None


def refused() -> str:
    return plain("desludging-refused")


def plain(key: str, **params: object) -> str:
    """A catalogue text as a chat shows it (entities undone)."""
    return re.sub(r"<[^>]+>", "", str(TEXTS(key, **params)))


async def test_desludging_access_table(quick: BotHarness) -> None:
    """Every role and a stranger get exactly the table's answer for each command and button on
    their own and another IPAL; every refusal is audited; no request changes."""
    scene = await build_scene(quick)
    cases = [
        (role, action, where, expected)
        for role, action, own, other in TABLE
        for where, expected in (("own", own), ("other", other))
    ]
    audited = len(await audit(quick, "desludging.refused"))
    wrong = []
    for role, action, where, expected in cases:
        got = await outcome(quick, scene, role, action, where)
        if got != expected:
            wrong.append((role, action, where, expected, got))
    print(f"{len(cases)} desludging access cases")
    assert wrong == []
    refusals = sum(expected == REFUSED for *_, expected in cases)
    assert len(await audit(quick, "desludging.refused")) - audited == refusals
    states = {row.id: row.state for row in await rows(quick, DesludgingRequest)}
    assert states == {1: "done", 2: "done", 3: "scheduled", 4: "scheduled"}
    [rating] = await rows(quick, DesludgingRating)
    assert (rating.request_id, rating.stars) == (1, 5)


def test_table_covers_every_role_and_action() -> None:
    """Each role (and the stranger) × action is in the table once."""
    roles = [*(role.value for role in Role), "stranger"]
    actions = ["/jadwal", *BUTTON_DATA]
    pairs = sorted((role, action) for role, action, _, _ in TABLE)
    assert pairs == sorted((role, action) for role in roles for action in actions)
