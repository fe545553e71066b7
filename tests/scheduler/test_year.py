"""A year of reminders for a handful of IPALs, the sweeps run day by day on the data layer.

The IPALs: A desludged last year (due 15 March, a request opened in April, scheduled and done
in May), B never desludged (due 1 January), C long overdue (its chair is reminded, a member
who turned LLTT reminders off is not, and it reports every month), D due in June. The bot is
restarted on 1 September and down from 1 to 10 June. Every message each person got, and its
day, is checked, and none came twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.clock import WIB, ManualClock
from bot.runtime import Runtime
from bot.settings import Settings
from domain.lifecycles import ProblemState, RequestState
from domain.reminders import ReminderKind
from domain.vocabulary import Role
from models.areas import load_ipal, schedule_lltt
from models.database import Database
from models.desludging import DesludgingRequest
from models.outbox import OutboxMessage
from models.problems import ProblemReport
from models.reminders import set_wanted
from models.reports import MonthlyReport
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

YEAR_START = date(2027, 1, 1)
YEAR_END = date(2027, 12, 31)
AFTER_YEAR = YEAR_END + timedelta(days=1)
DOWN = (date(2027, 6, 1), date(2027, 6, 10))
RESTART = date(2027, 9, 1)
NIGHT = time(0, 5)
MONDAY_MORNING = time(7, 30)


def days_of_year() -> list[date]:
    count = (YEAR_END - YEAR_START).days + 1
    return [YEAR_START + timedelta(days=n) for n in range(count)]


def sweep_instants() -> list[datetime]:
    """When the bot sweeps: 00:05 every day, and 07:30 on Mondays; never while it is down."""
    instants = []
    for day in days_of_year():
        if DOWN[0] <= day <= DOWN[1]:
            continue
        instants.append(datetime.combine(day, NIGHT, tzinfo=WIB))
        if day.weekday() == 0:
            instants.append(datetime.combine(day, MONDAY_MORNING, tzinfo=WIB))
    return instants


def first_sweep(moment: datetime) -> date | None:
    return next((at.date() for at in sweep_instants() if at >= moment), None)


def delivered(steps: list[date], last_valid_until: date) -> list[date]:
    """The days steps (each valid until the next) arrive: at the first sweep from their day,
    or never when a later step is valid by then."""
    days = []
    for index, step in enumerate(steps):
        until = steps[index + 1] if index + 1 < len(steps) else last_valid_until
        arrived = first_sweep(datetime.combine(step, time(0), tzinfo=WIB))
        if arrived is not None and arrived < until:
            days.append(arrived)
    return days


def every(start: date, days: int, *, until: date = YEAR_END) -> list[date]:
    found = []
    while start <= until:
        found.append(start)
        start += timedelta(days=days)
    return found


def monthly_expected() -> list[date]:
    """Day 25, day 1 and day 5 of each month not reported, until the grace ends."""
    arrived: list[date] = []
    for month in range(13):
        year, index = divmod(2026 * 12 + 11 + month, 12)
        period = date(year, index + 1, 1)
        following = date(year + (index + 1) // 12, (index + 1) % 12 + 1, 1)
        steps = [period.replace(day=25), following, following.replace(day=5)]
        arrived += delivered(steps, following.replace(day=6))
    return [day for day in arrived if day <= YEAR_END]


class World:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.db = database
        self.settings = settings
        self.runtime = Runtime(settings, ManualClock(datetime.now(WIB)), database=database)
        self.people: dict[str, Person] = {}

    async def sweep(self, at: datetime) -> dict[str, int]:
        return await run_sweeps(self.runtime, at=at)


async def build_world(database: Database, settings: Settings) -> World:
    world = World(database, settings)
    start = datetime(2026, 12, 20, 9, 0, tzinfo=WIB)
    await add_ipals(
        database,
        [
            ipal_row("A", "Triharjo", last_desludged_on=date(2026, 3, 15), interval=12),
            ipal_row("B", "Bendungan", built_year=2025, interval=24),
            ipal_row("C", "Giripeni", last_desludged_on=date(2024, 6, 1)),
            ipal_row("D", "Sendangsari", kapanewon="Pengasih", last_desludged_on=date(2025, 6, 12)),
        ],
        start,
    )
    add = add_person
    people = world.people
    people["a1"] = await add(database, "a1", Role.MEMBER, start, ipal="A")
    people["b1"] = await add(database, "b1", Role.MEMBER, start, ipal="B")
    people["c1"] = await add(database, "c1", Role.MEMBER, start, ipal="C")
    people["c2"] = await add(database, "c2", Role.CHAIR, start, ipal="C")
    people["d1"] = await add(database, "d1", Role.MEMBER, start, ipal="D")
    officials = (("kal_b", "Bendungan"), ("kal_c", "Giripeni"))
    for name, kalurahan in officials:
        people[name] = await add(
            database, name, Role.KALURAHAN_OFFICIAL, start, kapanewon="Wates", kalurahan=kalurahan
        )
    people["kap_w"] = await add(
        database, "kap_w", Role.KAPANEWON_OFFICIAL, start, kapanewon="Wates"
    )
    people["op"] = await add(database, "op", Role.OPERATOR, start)
    people["admin"] = await add(database, "admin", Role.ADMIN, start)
    async with database.transaction() as session:
        await set_wanted(
            session, user_id=people["c1"].id, kind=ReminderKind.LLTT, wanted=False, now=start
        )
        for name in ("kal_b", "kal_c", "kap_w"):
            await set_wanted(
                session, user_id=people[name].id, kind=ReminderKind.DIGEST, wanted=False, now=start
            )
    return world


async def report_for_c(world: World, day: date) -> None:
    """C's monthly report for the month of `day`."""
    ipal_id = await ipal_id_of(world.db, "C")
    async with world.db.transaction() as session:
        session.add(
            MonthlyReport(
                ipal_id=ipal_id,
                period=day.replace(day=1),
                reporter_id=world.people["c2"].id,
                condition="good",
                problems=[],
                active_connections=40,
                paying_households=40,
                fee_collected=400_000,
                operator_active=True,
                board_met=True,
                books_up_to_date=True,
                severity="ok",
                scores={},
                submitted_at=datetime.combine(day, time(10), tzinfo=WIB),
            )
        )


async def open_problem_at_a(world: World, at: datetime) -> None:
    ipal_id = await ipal_id_of(world.db, "A")
    async with world.db.transaction() as session:
        session.add(
            ProblemReport(
                ipal_id=ipal_id,
                kind="odour",
                urgency="low",
                severity="warning",
                state=ProblemState.OPEN,
                reporter_id=world.people["a1"].id,
                reported_at=at,
            )
        )


async def request_at_a(world: World, at: datetime) -> None:
    ipal_id = await ipal_id_of(world.db, "A")
    async with world.db.transaction() as session:
        session.add(
            DesludgingRequest(
                ipal_id=ipal_id,
                reason="lltt_due",
                preferred_date=at.date() + timedelta(days=14),
                severity="warning",
                state=RequestState.REQUESTED,
                requester_id=world.people["a1"].id,
                requested_at=at,
            )
        )


async def schedule_request_at_a(world: World, on: date, *, done: bool = False) -> None:
    async with world.db.transaction() as session:
        request = await session.scalar(select(DesludgingRequest))
        assert request is not None
        request.state = RequestState.DONE if done else RequestState.SCHEDULED
        request.scheduled_on, request.team = on, "UPT Wates"
        if done:
            ipal = await load_ipal(session, ipal_id=request.ipal_id)
            assert ipal is not None
            ipal.last_desludged_on = on
            schedule_lltt(
                ipal, default_interval_months=24, rule=world.settings.reminders.lltt_rule()
            )


EVENTS = {
    date(2027, 3, 1): "problem",
    date(2027, 4, 5): "request",
    date(2027, 4, 20): "schedule",
    date(2027, 5, 3): "done",
}


async def live_the_year(database: Database, database_url: tuple[str, str | None]) -> World:
    url, schema = database_url
    settings = reminder_settings(url, schema)
    world = await build_world(database, settings)
    for at in sweep_instants():
        if at.date() == RESTART and at.time() == NIGHT:
            world = await restarted(world, url, schema)
        if at.time() == NIGHT and at.day == 20:
            await report_for_c(world, at.date())
        event = EVENTS.get(at.date()) if at.time() == NIGHT else None
        await happen(world, event, at)
        await world.sweep(at)
    return world


async def restarted(world: World, url: str, schema: str | None) -> World:
    """A new process: a new engine and runtime on the same database."""
    await world.db.dispose()
    fresh = World(Database(url, schema_name=schema), world.settings)
    fresh.people = world.people
    return fresh


async def happen(world: World, event: str | None, at: datetime) -> None:
    morning = at.replace(hour=9, minute=0) - timedelta(days=1)
    if event == "problem":
        await open_problem_at_a(world, morning)
    elif event == "request":
        await request_at_a(world, morning)
    elif event == "schedule":
        await schedule_request_at_a(world, date(2027, 5, 3))
    elif event == "done":
        await schedule_request_at_a(world, date(2027, 5, 3), done=True)


async def test_a_year_of_reminders(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """Every person gets each reminder on its day (late once after the downtime, never a
    stale step), none twice, everything held to the morning."""
    world = await live_the_year(database, database_url)
    messages = await queued(world.db)
    people = world.people
    on = date
    assert received(messages, people["a1"], "lltt") == [
        on(2027, 2, 13),
        on(2027, 3, 8),
        on(2027, 3, 15),
        on(2027, 3, 29),
    ]
    b_steps = every(on(2027, 1, 1), 14)
    assert received(messages, people["b1"], "lltt") == delivered(b_steps, AFTER_YEAR)
    assert on(2027, 6, 11) in received(messages, people["b1"], "lltt")  # the 4 June step, late
    assert received(messages, people["c1"], "lltt") == []
    c_steps = [on(2026, 12, 28), *every(on(2027, 1, 11), 14)]
    assert received(messages, people["c2"], "lltt") == delivered(c_steps, AFTER_YEAR)
    d_steps = [on(2027, 5, 13), on(2027, 6, 5), *every(on(2027, 6, 12), 14)]
    assert received(messages, people["d1"], "lltt") == delivered(d_steps, AFTER_YEAR)
    assert on(2027, 6, 11) in received(messages, people["d1"], "lltt")  # the 7-day one, late
    assert received(messages, people["kal_c"]) == [on(2027, 1, 1)]
    assert received(messages, people["kal_b"]) == [on(2027, 1, 31)]
    assert received(messages, people["kal_c"], "lltt-officials") == [on(2027, 1, 1)]
    for name in ("a1", "b1", "d1"):
        assert received(messages, people[name], "monthly") == monthly_expected()
    for name in ("c1", "c2"):  # C reports from January on: reminded for December only
        assert received(messages, people[name], "monthly") == [on(2027, 1, 1), on(2027, 1, 5)]
    assert received(messages, people["a1"], "desludging-tomorrow") == [on(2027, 5, 2)]
    assert received(messages, people["op"]) == [on(2027, 5, 2)]
    problem_at = datetime(2027, 2, 28, 9, 0, tzinfo=WIB)
    request_at = datetime(2027, 4, 4, 9, 0, tzinfo=WIB)
    assert received(messages, people["kap_w"]) == [on(2027, 3, 4)]
    assert first_sweep(problem_at + timedelta(days=3)) == on(2027, 3, 4)
    assert received(messages, people["admin"], "alert") == [
        first_sweep(problem_at + timedelta(days=7)),
        first_sweep(request_at + timedelta(days=7)),
    ]
    mondays = [on(2026, 12, 28), *(day for day in days_of_year() if day.weekday() == 0)]
    assert received(messages, people["admin"], "digest") == [
        first_sweep(datetime.combine(day, time(7), tzinfo=WIB)) for day in mondays
    ]
    assert on(2027, 6, 11) in received(messages, people["admin"], "digest")  # 7 June's, late
    kinds = {kind_of(message) for message in messages}
    assert kinds == {"lltt", "lltt-officials", "monthly", "desludging-tomorrow", "alert", "digest"}
    held = {message.not_before.astimezone(WIB).time() for message in messages}
    assert held == {time(6, 0), MONDAY_MORNING}
    night = [m for m in messages if m.created_at.astimezone(WIB).time() == NIGHT]
    assert all(m.not_before.astimezone(WIB).time() == time(6, 0) for m in night)
    await world.db.dispose()


async def test_sweeping_twice_at_one_instant_sends_nothing_more(
    database: Database, database_url: tuple[str, str | None]
) -> None:
    """The same instant swept again (a restart, a second trigger) queues nothing."""
    url, schema = database_url
    world = await build_world(database, reminder_settings(url, schema))
    at = datetime(2027, 1, 1, 8, 0, tzinfo=WIB)
    first = await world.sweep(at)
    second = await world.sweep(at)
    assert first["reminders:lltt"] > 0 and first["reminders:monthly"] > 0
    assert set(second.values()) == {0}
    async with database.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert count == sum(first.values())
