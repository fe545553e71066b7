"""The command line beside the running bot: `sanimas user …` and `sanimas invite list|revoke`
change what users see in the simulator."""

from __future__ import annotations

import argparse

import pytest

from bot.cli.console import Console
from bot.cli.people import invite_list, invite_revoke, user_deactivate, user_list, user_reactivate
from bot.settings import Settings
from bot.texts import Texts
from domain.vocabulary import Role
from tests.support.harness import BotHarness
from tests.support.people import audit, command_names, user_of

ENGLISH = Console(Texts("en"))


def cli_settings(harness: BotHarness) -> Settings:
    """The bot's settings, with the command line's clock starting at the bot's time now (so
    what it queues is due for the bot at once)."""
    settings = harness.runtime.settings
    clock = settings.clock.model_copy(update={"start": harness.clock.now()})
    return settings.model_copy(update={"clock": clock})


def listing(**filters: str | None) -> argparse.Namespace:
    return argparse.Namespace(**{"role": None, "kapanewon": None, "kalurahan": None, **filters})


async def test_cli_deactivates_and_reactivates_by_listed_id(
    quick: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """The id in the first column of `user list` deactivates and reactivates; both audited."""
    await quick.seed_ipals()
    sri = await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    settings = cli_settings(quick)
    assert "lapor" in command_names(quick, sri)
    assert await user_list(settings, listing(role="member"), ENGLISH) == 0
    [line] = capsys.readouterr().out.splitlines()
    user_id = line.split("\t")[0]
    assert line.split("\t")[1:4] == ["Sri", "-", "active"]
    assert line.endswith("member KP-WTS-01")
    deactivate = argparse.Namespace(id=int(user_id))
    assert await user_deactivate(settings, deactivate, ENGLISH) == 0
    assert capsys.readouterr().out == f"User {user_id} (Sri) deactivated.\n"
    await quick.settle()
    assert "lapor" not in command_names(quick, sri)
    replies = await quick.say(sri, "/status")
    assert "dinonaktifkan oleh admin" in (replies[0].content or "")
    assert await user_deactivate(settings, deactivate, ENGLISH) == 0
    assert "already deactivated" in capsys.readouterr().out
    assert await user_reactivate(settings, deactivate, ENGLISH) == 0
    await quick.settle()
    assert "sudah pulih" in quick.last_text(sri)
    assert "lapor" in command_names(quick, sri)
    replies = await quick.say(sri, "/status")
    assert "IPAL Ngestiharjo Asri" in (replies[-1].content or "")
    for action in ("user.deactivate", "user.reactivate"):
        [entry] = await audit(quick, action)
        assert (entry.actor, entry.actor_user_id, entry.subject) == ("cli", None, f"user:{user_id}")
    assert (await user_of(quick, sri)).deactivated_at is None


async def test_cli_user_list_filters_by_area(
    quick: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """--kapanewon and --kalurahan keep the users whose area or IPAL lies there."""
    await quick.seed_ipals()
    await quick.join(Role.MEMBER, name="Sri", ipal="KP-WTS-01")
    await quick.join(Role.MEMBER, name="Budi", ipal="KP-PGR-01")
    await quick.join(
        Role.KALURAHAN_OFFICIAL, name="Lurah", kapanewon="Wates", kalurahan="Bendungan"
    )
    settings = cli_settings(quick)

    async def names(**filters: str | None) -> list[str]:
        assert await user_list(settings, listing(**filters), ENGLISH) == 0
        lines = capsys.readouterr().out.splitlines()
        return [line.split("\t")[1] if "\t" in line else line for line in lines]

    assert await names() == ["Sri", "Budi", "Lurah"]
    assert await names(kapanewon="Wates") == ["Sri", "Lurah"]
    assert await names(kapanewon="Wates", kalurahan="Triharjo") == ["Sri"]
    assert await names(role="kalurahan-official", kapanewon="Pengasih") == ["No users found."]
    assert await user_list(settings, listing(role="boss"), ENGLISH) == 2
    assert "unknown role boss" in capsys.readouterr().err


async def test_revoked_code_answers_like_expired(
    quick: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """A code revoked on the command line is refused like an expired one, and listed so."""
    await quick.seed_ipals()
    code = await quick.invite(Role.MEMBER, ipal="KP-WTS-01", uses=3)
    kept = await quick.invite(Role.OPERATOR)
    settings = cli_settings(quick)
    assert await invite_revoke(settings, argparse.Namespace(code=code.lower()), ENGLISH) == 0
    assert capsys.readouterr().out.startswith(f"Invitation {code} revoked")
    newcomer = quick.sim.add_user(first_name="Ann", language_code="en")
    await quick.say(newcomer, f"/start {code}")
    assert quick.last_text(newcomer) == "This invitation code has expired. Ask for a new one."
    assert await invite_list(settings, argparse.Namespace(active=True), ENGLISH) == 0
    active = capsys.readouterr().out
    assert kept in active and code not in active
    assert await invite_list(settings, argparse.Namespace(active=False), ENGLISH) == 0
    everything = capsys.readouterr().out.splitlines()
    assert f"{code}\tmember\tKP-WTS-01\t0/3\t-\trevoked" in everything
    assert await invite_revoke(settings, argparse.Namespace(code="NOSUCHCODE"), ENGLISH) == 2
    [entry] = await audit(quick, "invitation.revoke")
    assert entry.actor == "cli"
