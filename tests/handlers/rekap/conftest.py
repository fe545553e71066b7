"""Seeded history of the three test IPALs for the summary and export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.lifecycles import ProblemState
from models.areas import find_ipal
from models.attachments import Extras
from models.desludging import (
    complete_request,
    rate_request,
    record_request,
    schedule_request,
    tick,
)
from models.problems import record_move, record_problem
from models.reports import ReportDraft, record_report
from tests.support.harness import BotHarness

GREEN = dict.fromkeys(("technical", "financial", "institutional", "governance"), "green")
MIXED = {"technical": "red", "financial": "yellow", "institutional": "green", "governance": "red"}


@dataclass(frozen=True)
class Seeded:
    """What `seed_history` wrote, by IPAL code."""

    reports: dict[str, list[date]]
    problems: dict[str, int]


def draft(
    ipal_id: int, period: date, reporter_id: int, condition: str, scores: dict[str, str]
) -> ReportDraft:
    return ReportDraft(
        ipal_id=ipal_id,
        period=period,
        reporter_id=reporter_id,
        condition=condition,
        problems=["odour"] if condition != "good" else [],
        active_connections=50,
        paying_households=41,
        fee_collected=410_000,
        operator_active=True,
        board_met=condition == "good",
        books_up_to_date=True,
        severity="ok" if condition == "good" else "warning",
        scores=scores,
    )


async def seed_history(harness: BotHarness, reporter_id: int) -> Seeded:
    """KP-WTS-01 (Triharjo) reports September to November (November: with problems) and has
    problems 3 and 20 days old (the older followed up: acknowledged, resolved, found not fixed
    by the reporter, open again), and a desludging done on 20 September by "UPT Wates", rated
    4 stars; KP-WTS-02 (Bendungan) reports November (not working), has a problem 40 days old,
    a desludging done in May by "Mitra Sedot" rated 2 stars, and an open desludging request;
    KP-PGR-01 (Pengasih) reports nothing, and its registry says it was desludged on
    1 October although no request of it was done."""
    now = harness.clock.now()
    async with harness.db.transaction() as session:
        first = await find_ipal(session, code="KP-WTS-01")
        second = await find_ipal(session, code="KP-WTS-02")
        assert first is not None and second is not None
        periods = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
        for period in periods:
            condition, scores = ("problems", MIXED) if period.month == 11 else ("good", GREEN)
            await record_report(
                session,
                draft=draft(first.id, period, reporter_id, condition, scores),
                replaces_id=None,
                now=now,
            )
        await record_report(
            session,
            draft=draft(second.id, date(2026, 11, 1), reporter_id, "broken", MIXED),
            replaces_id=None,
            now=now,
        )
        problems = []
        for ipal_id, days in ((first.id, 3), (first.id, 20), (second.id, 40)):
            problem = await record_problem(
                session,
                ipal_id=ipal_id,
                reporter_id=reporter_id,
                kind="blocked",
                urgency="high",
                severity="warning",
                extras=Extras(note="mampet"),
                now=now - timedelta(days=days),
            )
            problems.append(problem)
        older = problems[1]
        for state, days, note in (
            (ProblemState.ACKNOWLEDGED, 19, "dicek  besok\npagi"),
            (ProblemState.RESOLVED, 18, "pipa <dibersihkan>"),
            (ProblemState.OPEN, 10, None),
        ):
            event = await record_move(
                session,
                problem=older,
                state=state,
                actor_id=reporter_id,
                now=now - timedelta(days=days),
                note=note,
            )
            if state is ProblemState.RESOLVED:
                event.check_back_at, event.check_back_answer = now - timedelta(days=10), "not_fixed"
        for ipal, team, days, stars in (
            (first, "UPT Wates", 57, 4),
            (second, "Mitra Sedot", 198, 2),
        ):
            done = await record_request(
                session,
                ipal_id=ipal.id,
                requester_id=reporter_id,
                reason="lltt_due",
                preferred_date=(now - timedelta(days=days)).date(),
                note=None,
                severity="ok",
                now=now - timedelta(days=days + 3),
            )
            assert done is not None
            schedule_request(done, on=(now - timedelta(days=days)).date(), team=team, now=now)
            complete_request(
                done,
                on=(now - timedelta(days=days)).date(),
                volume_m3=Decimal("3.50"),
                photo_file_id=None,
                now=now - timedelta(days=days),
            )
            await session.flush()
            rating = await rate_request(
                session,
                request_id=done.id,
                stars=stars,
                rated_by_id=reporter_id,
                now=now - timedelta(days=days - 1),
            )
            tick(rating, "no_spillage", now=now - timedelta(days=days - 1))
        third = await find_ipal(session, code="KP-PGR-01")
        assert third is not None
        third.last_desludged_on = date(2026, 10, 1)
        await record_request(
            session,
            ipal_id=second.id,
            requester_id=reporter_id,
            reason="sludge_full",
            preferred_date=date(2026, 12, 1),
            note="penuh <segera>",
            severity="warning",
            now=now,
        )
    return Seeded(
        reports={"KP-WTS-01": periods, "KP-WTS-02": [date(2026, 11, 1)]},
        problems={"KP-WTS-01": 2, "KP-WTS-02": 1},
    )
