"""Buttons on alerts: answered for who may follow the alert up, stale for anybody else."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.texts import Texts
from models.alerts import Alert
from models.users import RoleGrant, User
from telesim import SimUser
from tests.support.harness import BotHarness
from tests.support.reports import gather_people, rows

ACK = "✅ Tindak lanjuti"


async def press_alert(harness: BotHarness, user: SimUser) -> str:
    """Press *Tindak lanjuti* on the user's newest alert; the text of the answer."""
    alert = harness.sim.messages(user.id)[-1]
    data = next(button["callback_data"] for button in alert.inline_buttons()[0])
    query = await harness.sim.press_button(user.id, alert.message_id, data)
    await harness.settle()
    answer = harness.sim.callback_answer(query) or {}
    return str(answer.get("text") or "")


async def test_alert_button_is_stale_once_the_role_is_gone(quick: BotHarness) -> None:
    """An official keeping their role is asked for a follow-up note; one whose role for the
    area was taken away gets the stale-button answer, and nothing is written."""
    people = await gather_people(quick)
    await quick.say(people.member, "/masalah")
    for text in ("meluap", "darurat", "lewati", "air meluap ke jalan", "lewati", "kirim"):
        await quick.say(people.member, text)
    assert ACK in quick.buttons(people.kapanewon) and ACK in quick.buttons(people.kalurahan)
    async with quick.db.transaction() as session:
        official = await session.scalar(
            select(User.id).where(User.telegram_id == people.kapanewon.id)
        )
        await session.execute(delete(RoleGrant).where(RoleGrant.user_id == official))
    texts = Texts("id")
    alerts_before = len(await rows(quick, Alert))
    assert await press_alert(quick, people.kalurahan) == ""
    assert "Tindak lanjut masalah #1" in quick.last_text(people.kalurahan)
    assert await press_alert(quick, people.kapanewon) == texts("button-stale")
    assert len(await rows(quick, Alert)) == alerts_before
