"""Command menus by scope and language, as setMyCommands stores them."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from telesim import Simulator


async def test_commands_resolve_by_scope_and_language(sim: Simulator, bot: Bot) -> None:
    """A chat's own list wins, then all private chats, then the default; language first."""
    admin = sim.add_user("Admin", language_code="en")
    member = sim.add_user("Sri")
    group = sim.add_group("KSM Tirta")
    await bot.set_my_commands([BotCommand("start", "Mulai")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands(
        [BotCommand("lapor", "Lapor kondisi")], scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(
        [BotCommand("ekspor", "Export data")],
        scope=BotCommandScopeChat(admin.id),
        language_code="en",
    )
    assert sim.commands(None) == [("start", "Mulai")]
    assert sim.commands(None, "en") == [("start", "Start")]
    assert sim.commands(member.id, "id") == [("lapor", "Lapor kondisi")]
    assert sim.commands(admin.id, "en") == [("ekspor", "Export data")]
    assert sim.commands(admin.id, "id") == [("lapor", "Lapor kondisi")]
    assert sim.commands(group.id, "en") == [("start", "Start")]
    read_back = await bot.get_my_commands(scope=BotCommandScopeChat(admin.id), language_code="en")
    assert [(c.command, c.description) for c in read_back] == [("ekspor", "Export data")]
    await bot.delete_my_commands(scope=BotCommandScopeChat(admin.id), language_code="en")
    assert sim.commands(admin.id, "en") == [("lapor", "Lapor kondisi")]
    assert sim.violations == []
