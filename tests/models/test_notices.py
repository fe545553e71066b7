"""Notices on SQLite and PostgreSQL: audiences of every kind of segment, the fan-out in chunks
run twice, quiet hours and scheduled times, cancelling, and the capacity the database holds."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import ExplicitSettings, Settings
from domain.dates import WIB
from domain.joining import CodeProblem
from domain.notices import Answer, Standing
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal, import_ipals
from models.database import Database
from models.invitations import create_invitation, redeem_invitation
from models.notices import (
    CANCELLED_ERROR,
    Notice,
    NoticeDelivery,
    SegmentChoice,
    answer_rsvp,
    audience_of,
    cancel_notice,
    create_notice,
    delivery_figures,
)
from models.outbox import OutboxMessage, OutboxStatus, enqueue
from models.users import Profile, User, set_active
from scheduler import notices as fan_out
from tests.support.harness import IPAL_ROWS

NOW = datetime(2026, 12, 1, 9, tzinfo=WIB)
NIGHT = datetime(2026, 12, 1, 22, tzinfo=WIB)
IDS = itertools.count(5000)


def settings() -> Settings:
    return ExplicitSettings.model_validate({"telegram": {"token": "1:x"}})


async def join(
    session: AsyncSession,
    name: str,
    role: Role,
    *,
    ipal: str | None = None,
    kapanewon: str | None = None,
    kalurahan: str | None = None,
    organisation: str | None = None,
) -> User:
    found_ipal = await find_ipal(session, code=ipal) if ipal else None
    area = None
    if kapanewon:
        area = await find_area(session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None)
        if kalurahan:
            area = await find_area(session, level=AreaLevel.KALURAHAN, name=kalurahan, parent=area)
    invitation = await create_invitation(
        session,
        role=role,
        ipal=found_ipal,
        area=area,
        max_uses=1,
        expires_in=None,
        now=NOW,
        organisation=organisation,
    )
    profile = Profile(next(IDS), name, None, None, "id")
    outcome = await redeem_invitation(session, invitation=invitation, profile=profile, now=NOW)
    assert not isinstance(outcome, CodeProblem)
    return outcome[0]


async def district(session: AsyncSession) -> dict[str, User]:
    await import_ipals(session, rows=IPAL_ROWS, now=NOW)
    people = {
        "admin": await join(session, "Admin", Role.ADMIN),
        "m_triharjo": await join(session, "MT", Role.MEMBER, ipal="KP-WTS-01"),
        "c_triharjo": await join(session, "CT", Role.CHAIR, ipal="KP-WTS-01"),
        "m_bendungan": await join(session, "MB", Role.MEMBER, ipal="KP-WTS-02"),
        "m_pengasih": await join(session, "MP", Role.MEMBER, ipal="KP-PGR-01"),
        "kal_triharjo": await join(
            session, "KT", Role.KALURAHAN_OFFICIAL, kapanewon="Wates", kalurahan="Triharjo"
        ),
        "kap_wates": await join(
            session,
            "KW",
            Role.KAPANEWON_OFFICIAL,
            kapanewon="Wates",
            organisation="Puskesmas Wates",
        ),
        "kap_wates2": await join(session, "KW2", Role.KAPANEWON_OFFICIAL, kapanewon="Wates"),
        "kap_pengasih": await join(session, "KP", Role.KAPANEWON_OFFICIAL, kapanewon="Pengasih"),
        "operator": await join(session, "Op", Role.OPERATOR),
        "aksansi": await join(session, "Ak", Role.PARTNER, organisation="AKSANSI Kulon Progo"),
        "forum": await join(session, "Fo", Role.PARTNER, organisation="Forum Kabupaten Sehat"),
        "gone": await join(session, "Gone", Role.MEMBER, ipal="KP-WTS-01"),
        "blocked": await join(session, "Bl", Role.PARTNER, organisation="AKSANSI Kulon Progo"),
    }
    await set_active(session, user=people["gone"], active=False, now=NOW)
    people["blocked"].is_blocked = True
    await session.flush()
    return people


async def area_id(session: AsyncSession, kapanewon: str, kalurahan: str | None = None) -> int:
    area = await find_area(session, level=AreaLevel.KAPANEWON, name=kapanewon, parent=None)
    if kalurahan:
        area = await find_area(session, level=AreaLevel.KALURAHAN, name=kalurahan, parent=area)
    assert area is not None
    return area.id


# segments as (role, kapanewon, kalurahan, organisation) → who is reached, who is unreachable
CASES = [
    ([(Role.MEMBER, None, None, None)], {"m_triharjo", "m_bendungan", "m_pengasih"}, {"gone"}),
    ([(Role.MEMBER, "Wates", None, None)], {"m_triharjo", "m_bendungan"}, {"gone"}),
    ([(Role.MEMBER, "Wates", "Bendungan", None)], {"m_bendungan"}, set()),
    ([(Role.CHAIR, "Wates", "Triharjo", None)], {"c_triharjo"}, set()),
    ([(Role.KALURAHAN_OFFICIAL, "Wates", None, None)], {"kal_triharjo"}, set()),
    ([(Role.KALURAHAN_OFFICIAL, "Pengasih", None, None)], set(), set()),
    ([(Role.KAPANEWON_OFFICIAL, "Wates", None, None)], {"kap_wates", "kap_wates2"}, set()),
    ([(Role.KAPANEWON_OFFICIAL, None, None, "puskesmas wates ")], {"kap_wates"}, set()),
    ([(Role.PARTNER, None, None, "AKSANSI Kulon Progo")], {"aksansi"}, {"blocked"}),
    ([(Role.PARTNER, None, None, None)], {"aksansi", "forum"}, {"blocked"}),
    ([(Role.OPERATOR, None, None, None)], {"operator"}, set()),
    ([(Role.OPERATOR, "Wates", None, None)], set(), set()),
    (
        [
            (Role.MEMBER, "Wates", "Triharjo", None),
            (Role.CHAIR, None, None, None),
            (Role.PARTNER, None, None, "Forum Kabupaten Sehat"),
            (Role.MEMBER, None, None, None),
        ],
        {"m_triharjo", "c_triharjo", "m_bendungan", "m_pengasih", "forum"},
        {"gone"},
    ),
]


@pytest.mark.parametrize(("segments", "reached", "unreachable"), CASES)
async def test_each_audience_reaches_exactly_its_users(
    database: Database,
    segments: list[tuple[Role, str | None, str | None, str | None]],
    reached: set[str],
    unreachable: set[str],
) -> None:
    """Each combination of roles, areas and organisations reaches exactly its users, each
    once, and counts deactivated and blocked ones apart."""
    async with database.transaction() as session:
        people = await district(session)
        names = {user.id: name for name, user in people.items()}
        choices = [
            SegmentChoice(
                role,
                await area_id(session, kapanewon, kalurahan) if kapanewon else None,
                organisation,
            )
            for role, kapanewon, kalurahan, organisation in segments
        ]
        recipients, missing = await audience_of(session, choices=choices)
    assert len(recipients) == len(set(recipients))
    assert {names[i] for i in recipients} == reached
    assert {names[i] for i in missing} == unreachable


async def notice_to_members(
    session: AsyncSession, people: dict[str, User], **values: object
) -> Notice:
    return await create_notice(
        session,
        admin=people["admin"],
        text_html="Pelatihan <b>SANIMAS</b>",
        choices=[SegmentChoice(Role.MEMBER)],
        now=NOW,
        **values,  # type: ignore[arg-type]
    )


async def notice_rows(session: AsyncSession) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.key.like("notice:%"))
    return list(await session.scalars(query.order_by(OutboxMessage.id)))


async def test_fan_out_in_chunks_run_twice_queues_each_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunk by chunk, then again: one bulk row per recipient and one delivery linked to it."""
    monkeypatch.setattr(fan_out, "CHUNK", 2)
    async with database.transaction() as session:
        people = await district(session)
        notice = await notice_to_members(session, people)
    counts = []
    for _ in range(4):
        async with database.transaction() as session:
            counts.append(
                await fan_out.fan_out_notices(session, now=NOW, not_before=NOW, settings=settings())
            )
    assert counts == [2, 1, 0, 0]
    async with database.transaction() as session:
        rows = await notice_rows(session)
        deliveries = await session.scalar(select(func.count()).select_from(NoticeDelivery))
        stored = await session.get(Notice, notice.id)
    assert len(rows) == 3 and deliveries == 3 and all(row.bulk for row in rows)
    assert stored is not None and stored.fanned_out
    assert "allow_paid_broadcast" not in rows[0].params


async def test_quiet_hours_hold_the_fan_out_and_what_waits(database: Database) -> None:
    """At night nothing is fanned out and queued rows wait until quiet_end; a notice for
    later is not sent before its time."""
    async with database.transaction() as session:
        people = await district(session)
        await notice_to_members(session, people)
        later = await notice_to_members(session, people, send_at=NOW + timedelta(days=2))
    async with database.transaction() as session:
        assert (
            await fan_out.fan_out_notices(session, now=NOW, not_before=NOW, settings=settings())
            == 3
        )
        assert (
            await fan_out.fan_out_notices(session, now=NIGHT, not_before=NIGHT, settings=settings())
            == 0
        )
    async with database.transaction() as session:
        rows = await notice_rows(session)
        stored = await session.get(Notice, later.id)
    morning = datetime(2026, 12, 2, 6, tzinfo=WIB)
    assert {row.not_before for row in rows} == {morning}
    assert stored is not None and stored.cursor_user_id == 0


async def test_cancel_gives_up_what_waits_and_keeps_what_was_sent(database: Database) -> None:
    """Rows sent stay sent; the rest fail as cancelled."""
    async with database.transaction() as session:
        people = await district(session)
        notice = await notice_to_members(session, people)
        await fan_out.fan_out_notices(session, now=NOW, not_before=NOW, settings=settings())
        first = (await notice_rows(session))[0]
        first.status, first.message_id = OutboxStatus.SENT, 1
        await session.flush()
        stopped = await cancel_notice(session, notice=notice, now=NOW)
    async with database.transaction() as session:
        rows = await notice_rows(session)
    assert stopped == 2
    assert [(row.status, row.error) for row in rows] == [
        (OutboxStatus.SENT, None),
        (OutboxStatus.FAILED, CANCELLED_ERROR),
        (OutboxStatus.FAILED, CANCELLED_ERROR),
    ]


async def test_cancel_leaves_a_copy_on_its_way_to_its_outcome(database: Database) -> None:
    """A row the outbox worker has claimed may already be at Telegram: the cancel leaves it
    pending, so the outcome the worker records (sent) is the truth."""
    async with database.transaction() as session:
        people = await district(session)
        notice = await notice_to_members(session, people)
        await fan_out.fan_out_notices(session, now=NOW, not_before=NOW, settings=settings())
        first = (await notice_rows(session))[0]
        first.claimed_at = NOW
        await session.flush()
        stopped = await cancel_notice(session, notice=notice, now=NOW)
    async with database.transaction() as session:
        rows = await notice_rows(session)
    assert stopped == 2
    assert [(row.status, row.error) for row in rows] == [
        (OutboxStatus.PENDING, None),
        (OutboxStatus.FAILED, CANCELLED_ERROR),
        (OutboxStatus.FAILED, CANCELLED_ERROR),
    ]


async def test_the_database_refuses_more_attending_than_places(database: Database) -> None:
    """The CHECK constraint holds the capacity even against a write that skips the rules."""
    async with database.transaction() as session:
        people = await district(session)
        notice = await notice_to_members(session, people, rsvp=True, capacity=1)
        result = await answer_rsvp(
            session, notice=notice, user=people["m_triharjo"], answer=Answer.YES, now=NOW
        )
        assert result.standing is Standing.ATTENDING
        notice_id = notice.id
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            await session.execute(
                update(Notice).where(Notice.id == notice_id).values(attending=Notice.attending + 1)
            )
    async with database.transaction() as session:
        stored = await session.get(Notice, notice_id)
        assert stored is not None
        second = await answer_rsvp(
            session, notice=stored, user=people["m_bendungan"], answer=Answer.YES, now=NOW
        )
    assert second.standing is Standing.WAITING and second.position == 1


async def test_rows_on_the_wire_at_a_kill_are_counted_as_repeats_and_reported(
    database: Database,
) -> None:
    """The rows the worker claimed again after a kill (their first call may have arrived):
    those of the notice are counted (others are not), and the final report says how many may
    have arrived twice."""
    async with database.transaction() as session:
        people = await district(session)
        notice = await notice_to_members(session, people)
        quiet = await notice_to_members(session, people)
        await fan_out.fan_out_notices(session, now=NOW, not_before=NOW, settings=settings())
        other = await enqueue(
            session, chat_id=people["admin"].telegram_id, method="sendMessage", params={}, now=NOW
        )
        assert other is not None
        ours = [
            r
            for r in await notice_rows(session)
            if r.key and r.key.startswith(f"notice:{notice.id}:")
        ]
        # what the outbox worker marks on a row it claims again after a kill
        in_flight = [ours[0].id, ours[2].id, other.id]
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(in_flight))
            .values(repeat_possible=True)
        )
    async with database.transaction() as session:
        figures = await delivery_figures(session, notice_id=notice.id)
        untouched = await delivery_figures(session, notice_id=quiet.id)
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key.like("notice:%"))
            .values(status=OutboxStatus.SENT, message_id=1)
        )
    assert figures.repeats == 2 and untouched.repeats == 0
    async with database.transaction() as session:
        busy = await fan_out.report_notice_progress(
            session, now=NOW, not_before=NOW, settings=settings()
        )
    assert busy == 0
    async with database.transaction() as session:
        reports = {
            row.key: row.params["text"]
            for row in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("notice:%:report"))
            )
        }
    assert "Terkirim: 3" in reports[f"notice:{notice.id}:report"]
    assert "Mungkin diterima dua kali: 2" in reports[f"notice:{notice.id}:report"]
    assert "dua kali" not in reports[f"notice:{quiet.id}:report"]
