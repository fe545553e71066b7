"""Finding users, deactivating them and removing roles, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dates import WIB
from domain.joining import CodeProblem
from domain.routing import Purpose
from domain.vocabulary import Role
from models.alerts import find_recipients
from models.areas import AreaLevel, find_area, find_ipal, import_ipals, load_ipal
from models.audit import AuditEntry
from models.database import Database
from models.invitations import create_invitation, redeem_invitation
from models.users import Profile, User, list_users, remove_grant, set_active
from tests.support.harness import IPAL_ROWS

NOW = datetime(2026, 12, 1, 9, tzinfo=WIB)
TELEGRAM_IDS = itertools.count(1000)


async def join(
    session: AsyncSession,
    name: str,
    role: Role,
    *,
    ipal: str | None = None,
    area: str | None = None,
) -> User:
    found_ipal = await find_ipal(session, code=ipal) if ipal else None
    found_area = None
    if area:
        found_area = await find_area(session, level=AreaLevel.KAPANEWON, name=area, parent=None)
    invitation = await create_invitation(
        session, role=role, ipal=found_ipal, area=found_area, max_uses=1, expires_in=None, now=NOW
    )
    profile = Profile(
        telegram_id=next(TELEGRAM_IDS),
        first_name=name,
        last_name=None,
        username=None,
        language="id",
    )
    outcome = await redeem_invitation(session, invitation=invitation, profile=profile, now=NOW)
    assert not isinstance(outcome, CodeProblem)
    return outcome[0]


async def test_deactivated_users_get_no_alerts_and_no_new_role(database: Database) -> None:
    """A deactivated official is left out of the recipients, and a new code can't join them."""
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=NOW)
        panewu = await join(session, "Panewu", Role.KAPANEWON_OFFICIAL, area="Wates")
        admin = await join(session, "Admin", Role.ADMIN)
        found = await find_ipal(session, code="KP-WTS-01")
        assert found is not None
        ipal = await load_ipal(session, ipal_id=found.id)
        assert ipal is not None
        audience = {Role.KAPANEWON_OFFICIAL: Purpose.ACT, Role.ADMIN: Purpose.INFO}
        before = await find_recipients(session, ipal=ipal, audience=audience)
        assert [r.user.id for r in before] == [panewu.id, admin.id]
        assert await set_active(session, user=panewu, active=False, now=NOW, actor_user_id=admin.id)
        assert not await set_active(session, user=panewu, active=False, now=NOW)
        after = await find_recipients(session, ipal=ipal, audience=audience)
        assert [r.user.id for r in after] == [admin.id]
        invitation = await create_invitation(
            session, role=Role.OPERATOR, ipal=None, area=None, max_uses=1, expires_in=None, now=NOW
        )
        profile = Profile(panewu.telegram_id, "Panewu", None, None, "id")
        outcome = await redeem_invitation(session, invitation=invitation, profile=profile, now=NOW)
        assert outcome is CodeProblem.DEACTIVATED
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions.count("user.deactivate") == 1


async def test_list_users_by_role_area_ipal_and_name(database: Database) -> None:
    """Each filter keeps the users with one grant that fits all of them."""
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=NOW)
        sri = await join(session, "Sri Rahayu", Role.MEMBER, ipal="KP-WTS-01")
        budi = await join(session, "Budi", Role.MEMBER, ipal="KP-PGR-01")
        panewu = await join(session, "Panewu", Role.KAPANEWON_OFFICIAL, area="Wates")
        wates = await find_area(session, level=AreaLevel.KAPANEWON, name="Wates", parent=None)
        assert wates is not None
        ids = [u.id for u in await list_users(session)]
        assert ids == [sri.id, budi.id, panewu.id]
        assert [u.id for u in await list_users(session, role=Role.MEMBER)] == [sri.id, budi.id]
        assert [u.id for u in await list_users(session, area_id=wates.id)] == [sri.id, panewu.id]
        in_wates = await list_users(session, role=Role.MEMBER, area_id=wates.id)
        assert [u.id for u in in_wates] == [sri.id]
        assert [u.id for u in await list_users(session, ipal_ids=[sri.roles[0].ipal_id or 0])] == [
            sri.id
        ]
        assert [u.id for u in await list_users(session, name="rahayu")] == [sri.id]
        await remove_grant(session, grant=sri.roles[0], now=NOW)
        assert sri.roles == []
        assert [u.id for u in await list_users(session, role=Role.MEMBER)] == [budi.id]
