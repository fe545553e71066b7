"""Seeded history of the three test IPALs for the summary and export tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from models.areas import find_ipal
from models.attachments import Extras
from models.desludging import record_request
from models.problems import record_problem
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
    problems 3 and 20 days old; KP-WTS-02 (Bendungan) reports November (not working) and has a
    problem 40 days old and a desludging request; KP-PGR-01 (Pengasih) reports nothing."""
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
        for ipal_id, days in ((first.id, 3), (first.id, 20), (second.id, 40)):
            await record_problem(
                session,
                ipal_id=ipal_id,
                reporter_id=reporter_id,
                kind="blocked",
                urgency="high",
                severity="warning",
                extras=Extras(note="mampet"),
                now=now - timedelta(days=days),
            )
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
