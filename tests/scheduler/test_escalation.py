"""Escalations of problems nobody acknowledged, and two sweeps at one instant."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import WIB, ManualClock
from bot.runtime import Runtime
from domain.lifecycles import ProblemState
from domain.vocabulary import Role
from models.alerts import Alert
from models.areas import Ipal
from models.database import Database
from models.problems import ProblemEvent, ProblemReport
from scheduler.registry import run_sweeps
from tests.support.reminders import (
    Person,
    add_ipals,
    add_person,
    ipal_id_of,
    ipal_row,
    kind_of,
    queued,
    received,
    reminder_settings,
)

REPORTED = datetime(2027, 3, 1, 9, 0, tzinfo=WIB)


async def open_problem(database: Database, code: str, reporter: Person, severity: str) -> int:
    ipal_id = await ipal_id_of(database, code)
    async with database.transaction() as session:
        problem = ProblemReport(
            ipal_id=ipal_id,
            kind="overflow",
            urgency="high",
            severity=severity,
            state=ProblemState.OPEN,
            reporter_id=reporter.id,
            reported_at=REPORTED,
        )
        session.add(problem)
        await session.flush()
        return problem.id


async def alerted(database: Database, problem_id: int, *people: Person) -> None:
    """Alerts as the bot sent them when the problem came in."""
    ipal_id = await ipal_id_of(database, "KP-1")
    async with database.transaction() as session:
        for person in people:
            session.add(
                Alert(
                    subject=f"problem:{problem_id}",
                    ipal_id=ipal_id,
                    severity="critical",
                    recipient_id=person.id,
                    reason="kalurahan_official",
                    created_at=REPORTED,
                )
            )


def runtime(database: Database, database_url: tuple[str, str | None]) -> Runtime:
    url, schema = database_url
    settings = reminder_settings(url, schema)
    return Runtime(settings, ManualClock(REPORTED), database=database)


async def sweep_days(bot: Runtime, days: int) -> None:
    for day in range(days + 1):
        await run_sweeps(bot, at=REPORTED + timedelta(days=day, hours=1))


async def test_a_warning_goes_up_a_level_at_3_and_7_days(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Kapanewon officials after 3 days, admins after 7, each once, saying how long."""
    await add_ipals(database, [ipal_row("KP-1", "Triharjo")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    kapanewon = await add_person(
        database, "k", Role.KAPANEWON_OFFICIAL, REPORTED, kapanewon="Wates"
    )
    admin = await add_person(database, "a", Role.ADMIN, REPORTED)
    await open_problem(database, "KP-1", member, "warning")
    await sweep_days(runtime(database, database_url), 10)
    messages = await queued(database)
    assert received(messages, kapanewon, "alert") == [(REPORTED + timedelta(days=3)).date()]
    assert received(messages, admin, "alert") == [(REPORTED + timedelta(days=7)).date()]
    [to_kapanewon] = [
        m for m in messages if m.chat_id == kapanewon.telegram_id and kind_of(m) == "alert"
    ]
    assert "Belum ditindaklanjuti 3 hari" in to_kapanewon.params["text"]


async def test_a_level_with_nobody_passes_to_the_next(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """No kapanewon official in Pengasih: the admins hear of it after 3 days."""
    await add_ipals(database, [ipal_row("KP-1", "Sendangsari", kapanewon="Pengasih")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    admin = await add_person(database, "a", Role.ADMIN, REPORTED)
    await open_problem(database, "KP-1", member, "warning")
    await sweep_days(runtime(database, database_url), 10)
    assert received(await queued(database), admin, "alert") == [
        (REPORTED + timedelta(days=3)).date()
    ]


async def test_a_critical_problem_is_sent_again_after_a_day(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Everyone was alerted at once: the kalurahan official is reminded after 1 day, and
    nobody is escalated to again."""
    await add_ipals(database, [ipal_row("KP-1", "Triharjo")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    kalurahan = await add_person(
        database, "l", Role.KALURAHAN_OFFICIAL, REPORTED, kapanewon="Wates", kalurahan="Triharjo"
    )
    kapanewon = await add_person(
        database, "k", Role.KAPANEWON_OFFICIAL, REPORTED, kapanewon="Wates"
    )
    admin = await add_person(database, "a", Role.ADMIN, REPORTED)
    problem_id = await open_problem(database, "KP-1", member, "critical")
    await alerted(database, problem_id, kalurahan, kapanewon, admin)
    await sweep_days(runtime(database, database_url), 10)
    messages = await queued(database)
    assert received(messages, kalurahan, "escalation") == [(REPORTED + timedelta(days=1)).date()]
    [repeat] = [m for m in messages if kind_of(m) == "escalation"]
    assert "masalah kritis" in repeat.params["text"]
    assert received(messages, kapanewon, "alert") == received(messages, admin, "alert") == []


async def test_an_acknowledged_problem_is_not_escalated(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    await add_ipals(database, [ipal_row("KP-1", "Triharjo")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    await add_person(database, "k", Role.KAPANEWON_OFFICIAL, REPORTED, kapanewon="Wates")
    problem_id = await open_problem(database, "KP-1", member, "warning")
    async with database.transaction() as session:
        problem = await session.get(ProblemReport, problem_id)
        assert problem is not None
        problem.state = ProblemState.ACKNOWLEDGED
    await sweep_days(runtime(database, database_url), 10)
    assert [m for m in await queued(database) if kind_of(m) == "alert"] == []


async def test_two_sweeps_at_once_send_each_message_once(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Two processes sweeping the same instant: every message is queued exactly once."""
    await add_ipals(
        database,
        [ipal_row(f"KP-{n}", "Triharjo", built_year=2025) for n in range(30)],
        REPORTED,
    )
    for n in range(30):
        await add_person(database, f"m{n}", Role.MEMBER, REPORTED, ipal=f"KP-{n}")
    url, schema = database_url
    other = Database(url, schema_name=schema)
    try:
        at = datetime(2027, 1, 1, 8, 0, tzinfo=WIB)
        await asyncio.gather(
            run_sweeps(runtime(database, database_url), at=at),
            run_sweeps(runtime(other, database_url), at=at),
        )
    finally:
        await other.dispose()
    messages = await queued(database)
    per_kind = Counter(kind_of(m) for m in messages)
    assert per_kind == {"lltt": 30, "monthly": 30}
    async with database.transaction() as session:
        remind_on = set(await session.scalars(select(Ipal.lltt_remind_on)))
    assert remind_on == {datetime(2027, 1, 15).date()}


async def reopen(database: Database, problem_id: int, actor: Person, at: datetime) -> int:
    """The problem resolved, then opened again at `at` (its reporter said *Belum*)."""
    async with database.transaction() as session:
        problem = await session.get(ProblemReport, problem_id)
        assert problem is not None
        for state_from, state_to, when in (
            (ProblemState.OPEN, ProblemState.RESOLVED, at - timedelta(days=1)),
            (ProblemState.RESOLVED, ProblemState.OPEN, at),
        ):
            event = ProblemEvent(
                problem_id=problem_id,
                state_from=state_from,
                state_to=state_to,
                actor_id=actor.id,
                at=when,
            )
            session.add(event)
        problem.state = ProblemState.OPEN
        await session.flush()
        return event.id


async def test_a_reopened_problem_starts_the_clock_again(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Escalated in its first cycle, reopened on day 12: the kapanewon officials hear of it
    again 3 days after the reopening and the admins 7 days after, each once more."""
    await add_ipals(database, [ipal_row("KP-1", "Triharjo")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    kapanewon = await add_person(
        database, "k", Role.KAPANEWON_OFFICIAL, REPORTED, kapanewon="Wates"
    )
    admin = await add_person(database, "a", Role.ADMIN, REPORTED)
    problem_id = await open_problem(database, "KP-1", member, "warning")
    bot = runtime(database, database_url)
    await sweep_days(bot, 11)
    reopened_at = REPORTED + timedelta(days=12)
    reopen_id = await reopen(database, problem_id, member, reopened_at)
    for day in range(12, 30):
        await run_sweeps(bot, at=REPORTED + timedelta(days=day, hours=1))
    messages = await queued(database)
    assert received(messages, kapanewon, "alert") == [
        (REPORTED + timedelta(days=3)).date(),
        (reopened_at + timedelta(days=3)).date(),
    ]
    assert received(messages, admin, "alert") == [
        (REPORTED + timedelta(days=7)).date(),
        (reopened_at + timedelta(days=7)).date(),
    ]
    to_kapanewon = [
        m for m in messages if m.chat_id == kapanewon.telegram_id and kind_of(m) == "alert"
    ]
    assert "Belum ditindaklanjuti 3 hari" in to_kapanewon[-1].params["text"]
    async with database.transaction() as session:
        subjects = list(
            await session.scalars(
                select(Alert.subject).where(Alert.recipient_id == kapanewon.id).order_by(Alert.id)
            )
        )
    assert subjects == [f"problem:{problem_id}", f"problem:{problem_id}:reopen:{reopen_id}"]


async def test_a_reopened_problem_is_not_escalated_before_its_time(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Reopened on day 20, long past the first cycle's steps: nothing goes until day 23."""
    await add_ipals(database, [ipal_row("KP-1", "Triharjo")], REPORTED)
    member = await add_person(database, "m", Role.MEMBER, REPORTED, ipal="KP-1")
    kapanewon = await add_person(
        database, "k", Role.KAPANEWON_OFFICIAL, REPORTED, kapanewon="Wates"
    )
    problem_id = await open_problem(database, "KP-1", member, "warning")
    async with database.transaction() as session:
        problem = await session.get(ProblemReport, problem_id)
        assert problem is not None
        problem.state = ProblemState.ACKNOWLEDGED
    await reopen(database, problem_id, member, REPORTED + timedelta(days=20))
    bot = runtime(database, database_url)
    for day in range(20, 23):
        await run_sweeps(bot, at=REPORTED + timedelta(days=day, hours=1))
    assert received(await queued(database), kapanewon, "alert") == []
    await run_sweeps(bot, at=REPORTED + timedelta(days=23, hours=1))
    await run_sweeps(bot, at=REPORTED + timedelta(days=23, hours=2))
    assert received(await queued(database), kapanewon, "alert") == [
        (REPORTED + timedelta(days=23)).date()
    ]
