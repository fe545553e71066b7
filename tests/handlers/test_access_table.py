"""The access rule as one literal table, tried against the real bot through the simulator.

Every role (and a stranger) × every command, list and button of members and officials, on the
IPAL or area of the user's own and on another's. Each role is held twice: by a user of
Triharjo/Wates (KP-WTS-01, "here") and by a user of Sendangsari/Pengasih (KP-PGR-01, "there");
the second plays every case mirrored (own and other swapped) and must get the same answers.
Nothing any case does changes a problem; refusals of buttons are written to the audit log.
Operator rows for desludging requests live in a file of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.callbacks import follow_up_button
from domain.vocabulary import Role
from models.alerts import Alert
from models.audit import AuditEntry
from models.problems import ProblemEvent, ProblemReport
from telesim import SimMessage, SimUser
from tests.support.harness import BotHarness

SCOPES = {
    "here": {"ipal": "KP-WTS-01", "kapanewon": "Wates", "kalurahan": "Triharjo"},
    "there": {"ipal": "KP-PGR-01", "kapanewon": "Pengasih", "kalurahan": "Sendangsari"},
}
IPAL_NAMES = {
    "here": "IPAL Ngestiharjo Asri (KP-WTS-01), Kalurahan Triharjo, Kapanewon Wates",
    "there": "IPAL Sido Resik (KP-PGR-01), Kalurahan Sendangsari, Kapanewon Pengasih",
}

# What each answer looks like: a piece of the reply (a message or the button's answer).
REFUSED = "Tombol ini sudah tidak berlaku."
JOIN = "Anda belum terdaftar"
NOT_MEMBER = "Fitur ini untuk anggota KSM yang terdaftar di sebuah IPAL."
STATUS = "📊 Status IPAL\n{ipal}"
NOT_OFFICIAL = "Anda tidak boleh menindaklanjuti masalah ini"
LIST = "Laporan masuk"
VIEW = "Masalah #{n}"
ACK_NOTE = "Tindak lanjut masalah #{n}"
DONE_NOTE = "selesai. Tulis catatan"

# role, what is tried, on whose IPAL or area, the answer (a piece of it)
TABLE: list[tuple[str, str, str, str]] = []


def rows(role: str, *cases: tuple[str, str, str]) -> None:
    TABLE.extend((role, what, where, answer) for what, where, answer in cases)


def official_rows(role: str) -> tuple[tuple[str, str, str], ...]:
    return (
        ("/tindaklanjut", "own", LIST),
        ("view", "own", VIEW),
        ("view", "other", REFUSED),
        ("ack", "own", ACK_NOTE),
        ("ack", "other", REFUSED),
        ("done", "own", DONE_NOTE),
        ("done", "other", REFUSED),
        ("ack-alert-of-another", "own", REFUSED),
        ("ack-alert-of-another", "other", REFUSED),
        ("page", "own", LIST),
    )


MEMBER_CASES = (
    ("/tindaklanjut", "own", NOT_OFFICIAL),
    ("view", "own", REFUSED),
    ("view", "other", REFUSED),
    ("ack", "own", REFUSED),
    ("ack", "other", REFUSED),
    ("done", "own", REFUSED),
    ("done", "other", REFUSED),
    ("ack-alert-of-another", "own", REFUSED),
    ("ack-alert-of-another", "other", REFUSED),
    ("page", "own", REFUSED),
)
rows(
    "member",
    ("/lapor", "own", "Bagaimana kondisi IPAL"),
    ("/status", "own", STATUS),
    *MEMBER_CASES,
)
rows(
    "chair",
    ("/lapor", "own", "Bagaimana kondisi IPAL"),
    ("/status", "own", STATUS),
    *MEMBER_CASES,
)
rows(
    "kalurahan_official",
    ("/lapor", "own", NOT_MEMBER),
    ("/status", "own", NOT_MEMBER),
    *official_rows("kalurahan_official"),
)
rows(
    "kapanewon_official",
    ("/lapor", "own", NOT_MEMBER),
    ("/status", "own", NOT_MEMBER),
    *official_rows("kapanewon_official"),
)
rows("operator", ("/lapor", "own", NOT_MEMBER), ("/status", "own", NOT_MEMBER), *MEMBER_CASES)
rows(
    "admin",
    ("/lapor", "own", NOT_MEMBER),
    ("/status", "own", NOT_MEMBER),
    ("/tindaklanjut", "own", LIST),
    ("view", "own", VIEW),
    ("view", "other", VIEW),
    ("ack", "own", ACK_NOTE),
    ("ack", "other", ACK_NOTE),
    ("done", "own", DONE_NOTE),
    ("done", "other", DONE_NOTE),
    ("ack-alert-of-another", "own", REFUSED),
    ("ack-alert-of-another", "other", REFUSED),
    ("page", "own", LIST),
)
rows(
    "stranger",
    ("/lapor", "own", JOIN),
    ("/status", "own", JOIN),
    ("/tindaklanjut", "own", JOIN),
    ("view", "own", REFUSED),
    ("view", "other", REFUSED),
    ("ack", "own", REFUSED),
    ("ack", "other", REFUSED),
    ("done", "own", REFUSED),
    ("done", "other", REFUSED),
    ("ack-alert-of-another", "own", REFUSED),
    ("ack-alert-of-another", "other", REFUSED),
    ("page", "own", REFUSED),
)


@dataclass
class World:
    users: dict[tuple[str, str], SimUser]
    problems: dict[str, int]
    """The problem of each scope's IPAL."""
    alerts: dict[str, int]
    """An alert about each scope's problem, sent to somebody else."""


async def build_world(harness: BotHarness) -> World:
    await harness.seed_ipals()
    users: dict[tuple[str, str], SimUser] = {}
    for side, scope in SCOPES.items():
        for role in Role:
            if role in (Role.MEMBER, Role.CHAIR):
                kwargs = {"ipal": scope["ipal"]}
            elif role is Role.KALURAHAN_OFFICIAL:
                kwargs = {"kapanewon": scope["kapanewon"], "kalurahan": scope["kalurahan"]}
            elif role is Role.KAPANEWON_OFFICIAL:
                kwargs = {"kapanewon": scope["kapanewon"]}
            else:
                kwargs = {}
            users[(role.value, side)] = await harness.join(
                role, name=f"{role.value}-{side}", **kwargs
            )
        stranger = harness.sim.add_user(first_name=f"stranger-{side}")
        await harness.say(stranger, "/start")
        users[("stranger", side)] = stranger
    problems, alerts = {}, {}
    for side in SCOPES:
        reporter = users[("member", side)]
        await harness.say(reporter, "/masalah")
        for text in ("meluap", "darurat", "lewati", "air meluap", "lewati", "kirim"):
            await harness.say(reporter, text)
        async with harness.db.transaction() as session:
            problem = await session.scalar(
                select(ProblemReport).order_by(ProblemReport.id.desc()).limit(1)
            )
            assert problem is not None
            alert = await session.scalar(
                select(Alert)
                .where(Alert.subject == f"problem:{problem.id}")
                .order_by(Alert.id)
                .limit(1)
            )
            assert alert is not None
        problems[side], alerts[side] = problem.id, alert.id
    return World(users, problems, alerts)


def pressed_on(harness: BotHarness, user: SimUser, what: str) -> SimMessage:
    """The message a button is pressed on: the newest list for a page, else the newest."""
    messages = harness.sim.messages(user.id)
    if what == "page":
        for message in reversed(messages):
            if any("|view|" in data for data in message.callback_data()):
                return message
    return messages[-1]


async def attempt(harness: BotHarness, world: World, user: SimUser, what: str, target: str) -> str:
    """What the user saw when trying `what` on `target`'s problem: the button's answer, else
    the first new message."""
    before = len(harness.sim.messages(user.id))
    problem = world.problems[target]
    pressed = None
    if what.startswith("/"):
        await harness.say(user, what)
        answer = ""
    else:
        data = {
            "view": follow_up_button("view", 0, problem),
            "ack": follow_up_button("ack", 0, problem),
            "done": follow_up_button("done", 0, problem),
            "ack-alert-of-another": follow_up_button("ack", world.alerts[target], problem),
            "page": follow_up_button("page", 0, 0),
        }[what]
        pressed = pressed_on(harness, user, what).message_id
        query = await harness.sim.press_forged_button(user.id, pressed, data)
        await harness.settle()
        answer = str((harness.sim.callback_answer(query) or {}).get("text") or "")
    messages = harness.sim.messages(user.id)
    news = messages[before:] or [m for m in messages if m.message_id == pressed]
    seen = answer or "\n".join(message.content or message.caption or "" for message in news)
    if "catatan" in seen:
        await harness.say(user, "/batal")
    return seen


async def test_access_table(quick: BotHarness) -> None:
    """Each case answers as the table says, for the user of each area (mirrored); nothing
    changes, and refused buttons are audited."""
    world = await build_world(quick)
    failures = []
    tried = 0
    for role, what, where, expected in TABLE:
        for side, other_side in (("here", "there"), ("there", "here")):
            target = side if where == "own" else other_side
            user = world.users[(role, side)]
            seen = await attempt(quick, world, user, what, target)
            ipal = IPAL_NAMES[target]
            wanted = expected.format(n=world.problems[target], ipal=ipal)
            tried += 1
            if wanted not in seen:
                failures.append((role, side, what, where, wanted, seen[:120]))
    print(f"{tried} access cases ({len(TABLE)} rows, each by a user of both areas)")
    assert failures == [], "\n".join(map(repr, failures))
    async with quick.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ProblemEvent)) == 0
        refused = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "follow_up.refused")
        )
    expected_refusals = 2 * sum(answer in (REFUSED, NOT_OFFICIAL) for _, _, _, answer in TABLE)
    assert refused == expected_refusals
