
from tests.harness_reports import *

async def test_dbg(quick):
    people = await gather_people(quick)
    member = people.member
    await quick.say(member, "⚠️ Lapor masalah")
    await quick.press(member, "Bau")
    await quick.press(member, "🟠 Segera")
    await send_photo(quick, member)
    await quick.say(member, "Bau menyengat")
    await quick.say(member, "⏭ Lewati")
    await quick.press(member, "✅ Kirim")
    for m in quick.sim.chat_log(member.id):
        print(m.from_bot, m.message_id, repr(m.content)[:300], m.inline_buttons(), m.keyboard)
    for c in quick.sim.calls[-8:]:
        print(c.method, c.status, c.error, str(c.params)[:300])
    assert 0
