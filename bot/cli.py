"""`sanimas`: run the bot, migrate, manage the IPAL registry and invitations, play the demo."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot.settings import Settings, SettingsError, load_settings

Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="sanimas", description=__doc__)
    main.add_argument(
        "--config",
        type=Path,
        help="TOML settings file (default: $SANIMAS_CONFIG or ./sanimas.toml)",
    )
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling or webhook, as configured)")
    demo = commands.add_parser("demo", help="watch the whole bot work against a local simulator")
    demo.add_argument("--fast", action="store_true", help="no pauses between the scripted steps")
    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="action", required=True
    )
    db.add_parser("upgrade", help="apply all migrations")
    db.add_parser("current", help="show the schema revision")
    ipal = commands.add_parser("ipal", help="the IPAL registry").add_subparsers(
        dest="action", required=True
    )
    ipal_import = ipal.add_parser("import", help="create or update IPALs from a CSV file")
    ipal_import.add_argument("file", type=Path)
    ipal.add_parser("list", help="list the IPALs")
    invite = commands.add_parser("invite", help="invitations").add_subparsers(
        dest="action", required=True
    )
    create = invite.add_parser("create", help="create an invitation code")
    create.add_argument(
        "--role",
        required=True,
        help="member, chair, kalurahan-official, kapanewon-official, operator, admin",
    )
    create.add_argument("--ipal", help="IPAL code (member, chair)")
    create.add_argument("--kapanewon", help="kapanewon name (officials)")
    create.add_argument(
        "--kalurahan", help="kalurahan name (kalurahan officials; needs --kapanewon)"
    )
    create.add_argument(
        "--uses", type=int, default=1, help="how many people may use it (default 1)"
    )
    create.add_argument(
        "--expires-days", type=int, help="days until it expires (default from settings)"
    )
    return main


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    arguments = parser().parse_args(argv)
    if arguments.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(fast=arguments.fast))  # the demo builds its own settings
    try:
        settings = load_settings(arguments.config)
        return _dispatch(settings, arguments)
    except SettingsError as error:
        print(f"sanimas: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot import commands

    if arguments.command == "run":
        return commands.run_bot(settings)
    handler: Command = commands.ADMIN_COMMANDS[(arguments.command, arguments.action)]
    return asyncio.run(handler(settings, arguments))


if __name__ == "__main__":
    sys.exit(main())
