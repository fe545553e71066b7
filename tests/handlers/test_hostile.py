"""Members' flows used the way careless and hostile users use them, against the real bot."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks import Kind
from domain.vocabulary import Role
from models.conversations import ACTIVE, Conversation
from models.problems import ProblemReport
from models.reports import MonthlyReport
from models.users import User
from telesim import SimMessage, SimUser
from tests.support.harness import BotHarness
from tests.support.reports import gather_people, rows, texts_of

EDIT_NOT_READ = "Pesan yang diubah tidak dibaca"
STALE = "Tombol ini sudah tidak berlaku."


def sent_by(harness: BotHarness, user: SimUser, text: str) -> SimMessage:
    """The user's own (newest) message with this text."""
    mine = [m for m in harness.sim.chat_log(user.id) if not m.from_bot and m.text == text]
    return mine[-1]


async def edit(harness: BotHarness, user: SimUser, message: SimMessage, text: str) -> list[str]:
    before = len(harness.sim.messages(user.id))
    await harness.sim.edit_text(user.id, message.message_id, text)
    await harness.settle()
    return [m.content or "" for m in harness.sim.messages(user.id)[before:]]


async def running(harness: BotHarness, user: SimUser) -> Conversation | None:
    async with harness.db.transaction() as session:
        return await session.scalar(
            select(Conversation)
            .join(User, User.id == Conversation.user_id)
            .where(User.telegram_id == user.id, Conversation.status == ACTIVE)
        )


async def is_blocked(harness: BotHarness, user: SimUser) -> bool:
    async with harness.db.transaction() as session:
        return bool(
            await session.scalar(select(User.is_blocked).where(User.telegram_id == user.id))
        )


async def test_an_edited_answer_is_not_taken(quick: BotHarness) -> None:
    """Editing "45" into "30" answers nothing: one short note, and 45 is what is stored."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/lapor")
    for text in ("berfungsi baik", "tidak ada", "58 SR", "45"):
        await quick.say(member, text)
    replies = await edit(quick, member, sent_by(quick, member, "45"), "30")
    assert len(replies) == 1
    assert EDIT_NOT_READ in replies[0] and "Ubah" in replies[0]
    for text in ("150 ribu", "ya", "iya", "sudah", "lewati", "lewati", "tidak ada", "kirim"):
        await quick.say(member, text)
    [report] = await rows(quick, MonthlyReport)
    assert report.paying_households == 45


async def test_an_edit_into_a_menu_label_starts_nothing(quick: BotHarness) -> None:
    """An old message edited into a menu label keeps the running problem report."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "halo")
    await quick.say(member, "/masalah")
    replies = await edit(quick, member, sent_by(quick, member, "halo"), "🚛 Minta sedot lumpur")
    assert len(replies) == 1 and EDIT_NOT_READ in replies[0]
    conversation = await running(quick, member)
    assert conversation is not None and conversation.flow == "problem"


async def test_an_edited_command_does_nothing(quick: BotHarness) -> None:
    """An old text edited into /batal cancels nothing."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "halo")
    await quick.say(member, "/masalah")
    await edit(quick, member, sent_by(quick, member, "halo"), "/batal")
    assert await running(quick, member) is not None


async def test_invisible_text_is_not_a_description(quick: BotHarness) -> None:
    """Zero-width, direction marks, fillers and blank braille count as an empty note."""
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "/masalah")
    await quick.press(member, "Bau")
    await quick.press(member, "🟠 Segera")
    await quick.press(member, "⏭ Lewati")
    for invisible in ("\u200b", "\u200e\u200f", "\ufeff\u2060", "\u3164\u2800", "\u115f\ufe0f"):
        replies = await quick.say(member, invisible)
        assert "Catatannya kosong" in texts_of(replies), repr(invisible)
    await quick.say(member, "bau \u200b")
    await quick.say(member, "⏭ Lewati")
    await quick.press(member, "✅ Kirim")
    [problem] = await rows(quick, ProblemReport)
    assert problem.note is not None and problem.note.startswith("bau")


async def test_a_conversation_button_elsewhere_is_stale(quick: BotHarness) -> None:
    """The question's button data pressed on the welcome message or in a group changes nothing."""
    people = await gather_people(quick)
    member = people.member
    welcome = quick.sim.messages(member.id)[0]
    group = quick.sim.add_group("KSM Ngestiharjo")
    await quick.sim.send_text(member.id, "/status", chat_id=group.id)
    await quick.say(member, "/masalah")
    question = quick.sim.messages(member.id)[-1]
    data = question.callback_data()[0]
    [in_group] = quick.sim.messages(group.id)
    for message, chat_id in ((welcome, None), (in_group, group.id)):
        query = await quick.sim.press_button(
            member.id, message.message_id, data, chat_id=chat_id, forged=True
        )
        await quick.settle()
        answer = quick.sim.callback_answer(query)
        assert answer is not None and answer["text"] == STALE
    assert not quick.sim.messages(member.id)[0].edited
    assert not quick.sim.messages(group.id)[0].edited
    assert len(quick.sim.messages(group.id)) == 1
    conversation = await running(quick, member)
    assert conversation is not None and conversation.step == "kind"
    assert quick.sim.messages(member.id)[-1].callback_data() == question.callback_data()


async def report_problem(harness: BotHarness, member: SimUser) -> None:
    await harness.say(member, "/masalah")
    await harness.press(member, "Bau")
    await harness.press(member, "🟠 Segera")
    await harness.press(member, "⏭ Lewati")
    await harness.say(member, "bau menyengat")
    await harness.say(member, "⏭ Lewati")
    await harness.press(member, "✅ Kirim")


async def test_alert_buttons_answer_only_their_recipient_on_their_message(
    quick: BotHarness,
) -> None:
    """The alert's own recipient is asked for a follow-up note; anyone else, or the same data
    on another message, gets a plain refusal."""
    people = await gather_people(quick)
    await report_problem(quick, people.member)
    official = people.kalurahan
    alert = quick.sim.messages(official.id)[-1]
    ack = alert.callback_data()[0]
    own = await quick.sim.press_button(official.id, alert.message_id, ack)
    welcome = quick.sim.messages(official.id)[0]
    elsewhere = await quick.sim.press_button(official.id, welcome.message_id, ack, forged=True)
    by_member = await quick.sim.press_button(
        people.member.id, quick.sim.messages(people.member.id)[-1].message_id, ack, forged=True
    )
    stranger = quick.sim.add_user(first_name="Tamu")
    await quick.say(stranger, "halo")
    by_stranger = await quick.sim.press_button(
        stranger.id, quick.sim.messages(stranger.id)[-1].message_id, ack, forged=True
    )
    await quick.settle()
    answers = [quick.sim.callback_answer(q) for q in (own, elsewhere, by_member, by_stranger)]
    texts = [answer["text"] if answer else None for answer in answers]
    assert answers[0] is not None and texts[0] is None
    assert any("Tindak lanjut masalah #1" in text for text in quick.texts(official))
    assert texts[1:] == [STALE, STALE, STALE]


async def test_every_button_kind_is_answered_once_for_everyone(quick: BotHarness) -> None:
    """Buttons of every kind, forged for strangers, members and officials, answered once each."""
    people = await gather_people(quick)
    stranger = quick.sim.add_user(first_name="Tamu")
    await quick.say(stranger, "halo")
    arguments = [(), ("en",), ("ack", "1"), ("1", "1", "x"), ("x", "y", "z", "w")]
    queries = []
    for user in (stranger, people.member, people.kalurahan, people.admin):
        message = quick.sim.messages(user.id)[-1]
        for kind in Kind:
            for args in arguments:
                data = "|".join(("1", kind.value, *args))
                queries.append(
                    await quick.sim.press_button(user.id, message.message_id, data, forged=True)
                )
                await quick.settle()
    assert quick.sim.violations == []
    assert all(quick.sim.callback_answer(query) is not None for query in queries)


async def test_a_user_who_blocks_the_bot_gets_no_alerts(quick: BotHarness) -> None:
    """`kicked` marks the official blocked (a group change does not clear it): the next alert
    is not even tried; unblocking clears the mark."""
    people = await gather_people(quick)
    official = people.kalurahan
    quick.sim.block_bot(official.id)
    await quick.settle()
    assert await is_blocked(quick, official)
    group = quick.sim.add_group("Kalurahan Triharjo")
    quick.sim.set_bot_membership(official.id, group.id, "left", "member")
    await quick.settle()
    assert await is_blocked(quick, official)
    await report_problem(quick, people.member)
    refused = [call for call in quick.sim.calls if call.chat_id == official.id]
    assert [call.method for call in refused if call.status == 403] == []
    quick.sim.unblock_bot(official.id)
    await quick.settle()
    assert not await is_blocked(quick, official)


async def test_a_message_clears_the_blocked_mark(quick: BotHarness) -> None:
    """A blocked user who writes again is reachable again."""
    people = await gather_people(quick)
    quick.sim.block_bot(people.member.id)
    await quick.settle()
    assert await is_blocked(quick, people.member)
    await quick.say(people.member, "/status")
    assert not await is_blocked(quick, people.member)


async def test_chatting_newcomer_is_not_locked_out(quick: BotHarness) -> None:
    """Texts that can't be codes get the help and don't count; the real code then works."""
    await quick.seed_ipals()
    newcomer = quick.sim.add_user(first_name="Budi")
    for text in ("halo", "selamat pagi", "bagaimana cara daftar?", "halo", "halo", "ok"):
        replies = await quick.say(newcomer, text)
        assert "yang Anda terima dari admin" in texts_of(replies)
        assert "Terlalu banyak" not in texts_of(replies)
    code = await quick.invite(Role.MEMBER, ipal="KP-WTS-01")
    replies = await quick.say(newcomer, code)
    assert "Selamat datang" in texts_of(replies)


async def test_a_joined_member_types_a_second_code(quick: BotHarness) -> None:
    """/start, then an official's code typed: the member gets the second role too."""
    people = await gather_people(quick)
    member = people.member
    code = await quick.invite(Role.KALURAHAN_OFFICIAL, kapanewon="Wates", kalurahan="Triharjo")
    await quick.say(member, "/start")
    replies = await quick.say(member, code.lower()[:5] + " " + code.lower()[5:])
    assert "petugas kalurahan Triharjo" in texts_of(replies)
