"""The wire format: exact JSON bodies of errors, JSON and GET requests, method names."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from telesim import Simulator


@pytest.fixture
async def http(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sim.origin, trust_env=False) as client:
        yield client


async def test_error_bodies_are_telegrams(sim: Simulator, http: httpx.AsyncClient) -> None:
    wrong = await http.post("/bot1:WRONG/getMe")
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    unknown = await http.post(f"/bot{sim.token}/sendTelepathy")
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    user = sim.add_user("Sri")
    for _ in range(3):
        await http.post(f"/bot{sim.token}/sendMessage", data={"chat_id": user.id, "text": "x"})
    flooded = await http.post(
        f"/bot{sim.token}/sendMessage", data={"chat_id": user.id, "text": "x"}
    )
    assert (flooded.status_code, flooded.json()) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )


async def test_json_bodies_get_queries_and_any_case_work(
    sim: Simulator, http: httpx.AsyncClient
) -> None:
    user = sim.add_user("Sri")
    me = await http.get(f"/bot{sim.token}/GETME")
    assert me.json()["result"]["username"] == "sanimas_sim_bot"
    sent = await http.post(
        f"/bot{sim.token}/sendMessage",
        json={"chat_id": user.id, "text": "halo", "reply_markup": {"remove_keyboard": True}},
    )
    message = sent.json()["result"]
    assert message["message_id"] == 1
    assert message["chat"] == {"id": user.id, "type": "private", "first_name": "Sri"}
    assert message["from"]["is_bot"] is True
    assert isinstance(message["date"], int)
    queried = await http.get(f"/bot{sim.token}/sendMessage?chat_id={user.id}&text=lagi")
    assert queried.json()["result"]["message_id"] == 2
    assert [call.method for call in sim.calls] == ["getMe", "sendMessage", "sendMessage"]
