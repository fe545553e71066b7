"""`sanimas`: run the bot, migrate, manage the IPAL registry and invitations, play the demo.

It speaks the terminal's language (see `bot.console`): Indonesian unless the locale is English.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from bot.cli.console import Console, terminal_language
from bot.settings import Settings, SettingsError, load_settings
from bot.texts import Texts


def parser(texts: Texts) -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="sanimas", description=texts.plain("cli-description"))
    main.add_argument("--config", type=Path, help=texts.plain("cli-help-config"))
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help=texts.plain("cli-help-run"))
    demo = commands.add_parser("demo", help=texts.plain("cli-help-demo"))
    demo.add_argument("--fast", action="store_true", help=texts.plain("cli-help-demo-fast"))
    db = commands.add_parser("db", help=texts.plain("cli-help-db")).add_subparsers(
        dest="action", required=True
    )
    db.add_parser("upgrade", help=texts.plain("cli-help-db-upgrade"))
    db.add_parser("current", help=texts.plain("cli-help-db-current"))
    ipal = commands.add_parser("ipal", help=texts.plain("cli-help-ipal")).add_subparsers(
        dest="action", required=True
    )
    ipal_import = ipal.add_parser("import", help=texts.plain("cli-help-ipal-import"))
    ipal_import.add_argument("file", type=Path, help=texts.plain("cli-help-ipal-file"))
    ipal.add_parser("list", help=texts.plain("cli-help-ipal-list"))
    invite = commands.add_parser("invite", help=texts.plain("cli-help-invite")).add_subparsers(
        dest="action", required=True
    )
    create = invite.add_parser("create", help=texts.plain("cli-help-invite-create"))
    create.add_argument("--role", required=True, help=texts.plain("cli-help-role"))
    create.add_argument("--ipal", help=texts.plain("cli-help-ipal-code"))
    create.add_argument("--kapanewon", help=texts.plain("cli-help-kapanewon"))
    create.add_argument("--organisation", help=texts.plain("cli-help-organisation"))
    create.add_argument("--kalurahan", help=texts.plain("cli-help-kalurahan"))
    create.add_argument("--uses", type=int, default=1, help=texts.plain("cli-help-uses"))
    create.add_argument("--expires-days", type=int, help=texts.plain("cli-help-expires-days"))
    listing = invite.add_parser("list", help=texts.plain("cli-help-invite-list"))
    listing.add_argument("--active", action="store_true", help=texts.plain("cli-help-active"))
    revoke = invite.add_parser("revoke", help=texts.plain("cli-help-invite-revoke"))
    revoke.add_argument("code", help=texts.plain("cli-help-code"))
    user_parsers(commands, texts)
    sweep = commands.add_parser("sweep", help=texts.plain("cli-help-sweep"))
    sweep.add_argument("--at", help=texts.plain("cli-help-sweep-at"))
    sweep.add_argument("--dry-run", action="store_true", help=texts.plain("cli-help-dry-run"))
    export_parser(commands, texts)
    return main


def user_parsers(commands: Any, texts: Texts) -> None:
    """`sanimas user list|deactivate|reactivate`."""
    user = commands.add_parser("user", help=texts.plain("cli-help-user")).add_subparsers(
        dest="action", required=True
    )
    listing = user.add_parser("list", help=texts.plain("cli-help-user-list"))
    listing.add_argument("--role", help=texts.plain("cli-help-role"))
    listing.add_argument("--kapanewon", help=texts.plain("cli-help-user-kapanewon"))
    listing.add_argument("--kalurahan", help=texts.plain("cli-help-user-kalurahan"))
    for action, key in (
        ("deactivate", "cli-help-user-deactivate"),
        ("reactivate", "cli-help-user-reactivate"),
    ):
        one = user.add_parser(action, help=texts.plain(key))
        one.add_argument("id", type=int, help=texts.plain("cli-help-user-id"))


def export_parser(commands: Any, texts: Texts) -> None:
    """`sanimas export --out FILE.xlsx [--from] [--to] [--kapanewon] [--kalurahan]`."""
    export = commands.add_parser("export", help=texts.plain("cli-help-export"))
    export.add_argument("--out", required=True, help=texts.plain("cli-help-export-out"))
    export.add_argument("--from", dest="first", help=texts.plain("cli-help-export-from"))
    export.add_argument("--to", dest="last", help=texts.plain("cli-help-export-to"))
    export.add_argument("--kapanewon", help=texts.plain("cli-help-kapanewon"))
    export.add_argument("--kalurahan", help=texts.plain("cli-help-kalurahan"))


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    console = Console(Texts(terminal_language(os.environ)))
    arguments = parser(console.texts).parse_args(argv)
    if arguments.command == "demo":
        from bot.demo.main import run_demo

        # the demo builds its own settings, whatever the file and the environment say
        return asyncio.run(run_demo(fast=arguments.fast, texts=console.texts))
    try:
        settings = load_settings(arguments.config)
        return _dispatch(settings, arguments, console)
    except SettingsError as error:
        return console.refuse(error)
    except KeyboardInterrupt:
        return 130


def _dispatch(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    from bot.cli import commands, people

    if arguments.command == "run":
        return commands.run_bot(settings, console)
    if arguments.command == "sweep":
        from bot.cli.sweep import sweep

        return asyncio.run(sweep(settings, arguments, console))
    if arguments.command == "export":
        from bot.cli.export import export_data

        return asyncio.run(export_data(settings, arguments, console))
    handlers = {**commands.ADMIN_COMMANDS, **people.PEOPLE_COMMANDS}
    handler = handlers[(arguments.command, arguments.action)]
    return asyncio.run(handler(settings, arguments, console))


if __name__ == "__main__":
    sys.exit(main())
