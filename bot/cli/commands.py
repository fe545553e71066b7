"""The subcommands of `sanimas`, each one unit of work with its own session."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.cli.console import Console
from bot.clock import SystemClock
from bot.logs import configure_logging
from bot.runtime import open_database
from bot.settings import Settings, SettingsError
from domain.errors import InputError
from domain.registry_csv import HEADER, ROW, RegistryError, RowProblem, parse_registry
from domain.vocabulary import Role
from models.areas import AreaLevel, find_area, find_ipal, import_ipals, list_ipals
from models.database import SchemaOutOfDateError
from models.invitations import create_invitation

log = logging.getLogger("sanimas")
Command = Callable[[Settings, argparse.Namespace, Console], Coroutine[Any, Any, int]]


def run_bot(settings: Settings, console: Console) -> int:
    """Run until stopped; refuses a PostgreSQL schema behind the code (SQLite is upgraded)."""
    token = settings.telegram.require_token()
    configure_logging(settings.logging.level, token)
    application = build_application(settings)
    telegram = settings.telegram
    log.info("starting (%s) with the database %s", telegram.mode, _safe_url(settings.database.url))
    try:
        if telegram.mode == "webhook":
            webhook = telegram.webhook
            if not webhook.url:
                raise SettingsError("config-webhook-url")
            application.run_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.path,
                webhook_url=webhook.url,
                secret_token=webhook.secret_token.get_secret_value()
                if webhook.secret_token
                else None,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(
                poll_interval=0, timeout=telegram.poll_timeout, allowed_updates=Update.ALL_TYPES
            )
    except SchemaOutOfDateError as error:
        return console.refuse(error)
    except InvalidToken:
        return console.fail("cli-token-refused", base_url=telegram.base_url)
    except NetworkError as error:
        return console.fail("cli-api-unreachable", base_url=telegram.base_url, reason=error.message)
    except (OSError, SQLAlchemyError) as error:
        return console.fail(
            "cli-database-unusable", url=_safe_url(settings.database.url), reason=str(error)
        )
    return 0


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    scheme, _, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}:***@{host}"


async def db_upgrade(settings: Settings, _arguments: argparse.Namespace, console: Console) -> int:
    database = open_database(settings.database)
    try:
        await database.upgrade()
        current, _ = await database.revision()
    finally:
        await database.dispose()
    console.say("cli-db-upgraded", revision=current)
    return 0


async def db_current(settings: Settings, _arguments: argparse.Namespace, console: Console) -> int:
    database = open_database(settings.database)
    try:
        current, head = await database.revision()
    finally:
        await database.dispose()
    console.say("cli-db-current", current=current or console.texts.plain("cli-db-empty"), head=head)
    return 0 if current == head else 1


async def ipal_import(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    clock = SystemClock(settings.clock.start)
    try:
        text = arguments.file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return console.fail("csv-not-utf8", path=arguments.file)
    except OSError as error:
        return console.fail("csv-unreadable", path=arguments.file, reason=error.strerror or error)
    try:
        rows = parse_registry(text, this_year=clock.today().year)
    except RegistryError as error:
        console.problem(
            console.texts.plain("csv-refused", path=arguments.file, count=len(error.problems))
        )
        for problem in error.problems:
            console.problem("  " + describe_problem(console, problem))
        return 1
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            result = await import_ipals(
                session,
                rows=rows,
                now=clock.now(),
                default_interval_months=settings.reports.desludging_interval_months,
                rule=settings.reminders.lltt_rule(),
            )
    finally:
        await database.dispose()
    console.say(
        "csv-imported",
        count=len(rows),
        created=result.created,
        updated=result.updated,
        areas=result.areas_created,
    )
    return 0


PLACE_KEYS = {HEADER: "csv-column-header", ROW: "csv-column-row"}
"""Catalogue keys naming a problem's place when it is not one column."""


def describe_problem(console: Console, problem: RowProblem) -> str:
    """`line N: column: reason`, with the file's own column names."""
    column = problem.column
    if column in PLACE_KEYS:
        column = console.texts.plain(PLACE_KEYS[column])
    reason = console.texts.plain(problem.key, **problem.params)
    return console.texts.plain("csv-problem", line=problem.line, column=column, reason=reason)


async def ipal_list(settings: Settings, _arguments: argparse.Namespace, console: Console) -> int:
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            ipals = await list_ipals(session)
            for ipal in ipals:
                console.line(
                    f"{ipal.code}\t{ipal.name}\t{ipal.kapanewon.name} › {ipal.kalurahan.name}"
                    f"\t{ipal.house_connections} SR"
                )
    finally:
        await database.dispose()
    if not ipals:
        console.say("cli-ipal-none")
    return 0


async def invite_create(settings: Settings, arguments: argparse.Namespace, console: Console) -> int:
    try:
        role = Role(arguments.role.replace("-", "_"))
    except ValueError:
        return console.fail(
            "cli-unknown-role",
            role=arguments.role,
            roles=", ".join(role.cli_name for role in Role),
        )
    clock = SystemClock(settings.clock.start)
    days = arguments.expires_days or settings.join.default_expires_days
    if days < 1:
        return console.fail("cli-expires-days-min")
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            ipal = await find_ipal(session, code=arguments.ipal) if arguments.ipal else None
            if arguments.ipal and ipal is None:
                return console.fail("cli-no-ipal", code=arguments.ipal)
            area = await _area(session, arguments)
            invitation = await create_invitation(
                session,
                role=role,
                ipal=ipal,
                area=area,
                max_uses=arguments.uses,
                expires_in=timedelta(days=days),
                now=clock.now(),
                organisation=getattr(arguments, "organisation", None),
            )
    except InputError as error:
        return console.refuse(error)
    finally:
        await database.dispose()
    expires = (
        invitation.expires_at.strftime("%Y-%m-%d %H:%M WIB")
        if invitation.expires_at
        else console.texts.plain("cli-invitation-never")
    )
    console.say(
        "cli-invitation-made", role=role.cli_name, uses=invitation.max_uses, expires=expires
    )
    console.say("cli-invitation-share", code=invitation.code)
    console.line(invitation.code)
    return 0


async def _area(session: Any, arguments: argparse.Namespace) -> Any:
    if arguments.kalurahan and not arguments.kapanewon:
        raise InputError("cli-kalurahan-needs-kapanewon")
    if not arguments.kapanewon:
        return None
    area = await find_area(
        session, level=AreaLevel.KAPANEWON, name=arguments.kapanewon, parent=None
    )
    if area is None:
        raise InputError("cli-no-kapanewon", {"name": arguments.kapanewon})
    if arguments.kalurahan:
        area = await find_area(
            session, level=AreaLevel.KALURAHAN, name=arguments.kalurahan, parent=area
        )
        if area is None:
            raise InputError(
                "cli-no-kalurahan", {"name": arguments.kalurahan, "kapanewon": arguments.kapanewon}
            )
    return area


async def _ready_database(settings: Settings) -> Any:
    """An upgraded embedded SQLite, or a PostgreSQL whose schema is current."""
    database = open_database(settings.database)
    try:
        if database.is_sqlite:
            await database.upgrade()
        else:
            await database.check_schema()
    except Exception:
        await database.dispose()
        raise
    return database


ADMIN_COMMANDS: dict[tuple[str, str], Command] = {
    ("db", "upgrade"): db_upgrade,
    ("db", "current"): db_current,
    ("ipal", "import"): ipal_import,
    ("ipal", "list"): ipal_list,
    ("invite", "create"): invite_create,
}
