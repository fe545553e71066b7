"""`/tindaklanjut` (*Laporan masuk*) and the alerts of monthly reports, through the simulator."""

from __future__ import annotations

from datetime import timedelta

from models.areas import find_ipal
from models.attachments import Extras
from models.problems import ProblemEvent, ProblemReport, record_problem
from models.users import User
from tests.handlers.follow_up.test_follow_up import ACK, DONE, alert_of, labels
from tests.support.harness import BotHarness
from tests.support.people import user_of
from tests.support.reports import answer_typed, gather_people, rows, texts_of


async def open_problems_at(harness: BotHarness, reporter: User, code: str, count: int) -> None:
    """`count` problems of the IPAL, one a day apart, oldest first."""
    async with harness.db.transaction() as session:
        ipal = await find_ipal(session, code=code)
        assert ipal is not None
        for day in range(count):
            await record_problem(
                session,
                ipal_id=ipal.id,
                reporter_id=reporter.id,
                kind="odour",
                urgency="low",
                severity="warning",
                extras=Extras(),
                now=harness.clock.now() - timedelta(days=count - day),
            )


async def test_list_pages_views_and_acts(quick: BotHarness) -> None:
    """Seven problems in Triharjo, one elsewhere: the kalurahan official sees seven, five a
    page, oldest first with their age; opening one shows its history and the buttons, which
    act like an alert's."""
    people = await gather_people(quick)
    member = await user_of(quick, people.member)
    await open_problems_at(quick, member, "KP-WTS-01", 7)
    await open_problems_at(quick, member, "KP-PGR-01", 1)
    replies = await quick.say(people.kalurahan, "📥 Laporan masuk")
    page = texts_of(replies)
    assert "(7 masalah terbuka), halaman 1 dari 2" in page
    assert "#1 · IPAL Ngestiharjo Asri · Bau · 7 hari · terbuka" in page
    assert "#6" not in page and "#8" not in page
    assert quick.buttons(people.kalurahan)[-1] == "Berikutnya ▶️"
    await quick.press(people.kalurahan, "Berikutnya ▶️")
    page = quick.last_text(people.kalurahan)
    assert "halaman 2 dari 2" in page and "#7 · IPAL Ngestiharjo Asri · Bau · 1 hari" in page
    assert "#8" not in page and quick.buttons(people.kalurahan)[-1] == "◀️ Sebelumnya"
    await quick.press(people.kalurahan, "#6 Bau")
    view = quick.last_text(people.kalurahan)
    assert "Masalah #6" in view and "Belum ada tindak lanjut." in view
    assert quick.buttons(people.kalurahan) == [ACK, DONE]
    await quick.press(people.kalurahan, ACK)
    await quick.press(people.kalurahan, "⏭ Lewati")
    assert "Masalah #6 ditindaklanjuti" in quick.last_text(people.kalurahan)
    [event] = await rows(quick, ProblemEvent)
    assert (event.problem_id, event.state_to, event.note) == (6, "acknowledged", None)
    await quick.say(people.kalurahan, "/tindaklanjut")
    await quick.press(people.kalurahan, "Berikutnya ▶️")
    await quick.press(people.kalurahan, "#6 Bau")
    assert "ditindaklanjuti oleh Lurah" in quick.last_text(people.kalurahan)
    assert quick.buttons(people.kalurahan) == [DONE]
    replies = await quick.say(people.other_kapanewon, "/tindaklanjut")
    assert "(1 masalah terbuka)" in texts_of(replies) and "IPAL Sido Resik" in texts_of(replies)


async def test_list_for_somebody_without_an_official_role_is_refused(quick: BotHarness) -> None:
    """A member and an operator are told plainly that they may not follow problems up."""
    people = await gather_people(quick)
    for user in (people.member, people.operator):
        replies = await quick.say(user, "/tindaklanjut")
        assert "tidak boleh menindaklanjuti" in texts_of(replies)


async def test_report_saying_not_working_alerts_about_a_broken_problem(quick: BotHarness) -> None:
    """A monthly report saying the IPAL does not work opens a `broken` problem with nothing
    ticked; its alert carries that problem's buttons."""
    people = await gather_people(quick)
    await quick.say(people.member, "/lapor")
    await answer_typed(quick, people.member, condition="tidak berfungsi")
    await quick.say(people.member, "kirim")
    [problem] = await rows(quick, ProblemReport)
    assert (problem.kind, problem.monthly_report_id) == ("broken", 1)
    alert = alert_of(quick, people.kapanewon)
    assert "Laporan bulanan #1" in (alert.content or "") and labels(alert) == [ACK, DONE]


async def test_report_with_two_problems_has_a_pair_each(quick: BotHarness) -> None:
    """A report ticking odour and a blocked pipe: one pair of buttons per problem, each
    naming it; acting on one leaves the other's pair."""
    people = await gather_people(quick)
    await quick.say(people.member, "/lapor")
    for text in ("berfungsi ada masalah", "bau, mampet", "58 SR", "45", "150 ribu", "ya"):
        await quick.say(people.member, text)
    for text in ("iya", "sudah", "lewati", "lewati", "tidak ada", "kirim"):
        await quick.say(people.member, text)
    assert sorted(problem.kind for problem in await rows(quick, ProblemReport)) == [
        "blocked",
        "odour",
    ]
    alert = alert_of(quick, people.kalurahan)
    assert len(labels(alert)) == 4 and f"{ACK}: Bau" in labels(alert)
    await quick.press(people.kalurahan, f"{ACK}: Bau")
    await quick.press(people.kalurahan, "⏭ Lewati")
    shown = [m for m in quick.sim.messages(people.kalurahan.id) if m.message_id == alert.message_id]
    assert f"{ACK}: Bau" not in labels(shown[0]) and f"{DONE}: Bau" in labels(shown[0])
    assert len(labels(shown[0])) == 3
    assert "ditindaklanjuti oleh Lurah" in (shown[0].content or "")
