"""The subcommands of `sanimas`, each one unit of work with its own session."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.application import build_application
from bot.clock import SystemClock
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError
from domain.registry_csv import RegistryError, parse_registry
from domain.vocabulary import Role
from models.areas import AreaLevel
from models.database import SchemaOutOfDateError, open_database
from models.membership import InvitationError, create_invitation
from models.registry import find_area, find_ipal, import_ipals, list_ipals

log = logging.getLogger("sanimas")
Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


def fail(message: str) -> int:
    print(f"sanimas: {message}", file=sys.stderr)
    return 2


def run_bot(settings: Settings) -> int:
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
                raise SettingsError("telegram.webhook.url is needed in webhook mode")
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
        return fail(str(error))
    except InvalidToken:
        return fail(f"the Bot API at {telegram.base_url} refused the token (telegram.token)")
    except NetworkError as error:
        return fail(f"can't reach the Bot API at {telegram.base_url}: {error.message}")
    except (OSError, SQLAlchemyError) as error:
        return fail(f"the database {_safe_url(settings.database.url)} can't be used: {error}")
    return 0


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    scheme, _, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}:***@{host}"


async def db_upgrade(settings: Settings, _arguments: argparse.Namespace) -> int:
    database = open_database(settings.database)
    try:
        await database.upgrade()
        current, _ = await database.revision()
    finally:
        await database.dispose()
    print(f"database at revision {current}")
    return 0


async def db_current(settings: Settings, _arguments: argparse.Namespace) -> int:
    database = open_database(settings.database)
    try:
        current, head = await database.revision()
    finally:
        await database.dispose()
    print(f"database at {current or 'nothing'}; code needs {head}")
    return 0 if current == head else 1


async def ipal_import(settings: Settings, arguments: argparse.Namespace) -> int:
    clock = SystemClock(settings.clock.start)
    try:
        text = arguments.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return fail(f"can't read {arguments.file}: {error}")
    try:
        rows = parse_registry(text, this_year=clock.today().year)
    except RegistryError as error:
        print(
            f"{arguments.file}: nothing imported, {len(error.problems)} problem(s):",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            result = await import_ipals(session, rows=rows, now=clock.now())
    finally:
        await database.dispose()
    print(
        f"imported {len(rows)} IPAL(s): {result.created} new, {result.updated} updated, "
        f"{result.areas_created} new area(s)"
    )
    return 0


async def ipal_list(settings: Settings, _arguments: argparse.Namespace) -> int:
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            ipals = await list_ipals(session)
            for ipal in ipals:
                print(
                    f"{ipal.code}\t{ipal.name}\t{ipal.kapanewon.name} › {ipal.kalurahan.name}"
                    f"\t{ipal.house_connections} SR"
                )
    finally:
        await database.dispose()
    if not ipals:
        print("no IPALs yet: import them with `sanimas ipal import FILE.csv`")
    return 0


async def invite_create(settings: Settings, arguments: argparse.Namespace) -> int:
    try:
        role = Role(arguments.role.replace("-", "_"))
    except ValueError:
        return fail(
            f"unknown role {arguments.role!r}: use one of "
            + ", ".join(r.value.replace("_", "-") for r in Role)
        )
    clock = SystemClock(settings.clock.start)
    days = arguments.expires_days or settings.join.default_expires_days
    if days < 1:
        return fail("--expires-days must be at least 1")
    database = await _ready_database(settings)
    try:
        async with database.transaction() as session:
            ipal = await find_ipal(session, code=arguments.ipal) if arguments.ipal else None
            if arguments.ipal and ipal is None:
                return fail(f"no IPAL with code {arguments.ipal!r} (see `sanimas ipal list`)")
            area = await _area(session, arguments)
            invitation = await create_invitation(
                session,
                role=role,
                ipal=ipal,
                area=area,
                max_uses=arguments.uses,
                expires_in=timedelta(days=days),
                now=clock.now(),
            )
    except (InvitationError, LookupError) as error:
        return fail(str(error))
    finally:
        await database.dispose()
    expires = (
        invitation.expires_at.strftime("%Y-%m-%d %H:%M WIB") if invitation.expires_at else "never"
    )
    print(
        f"invitation for {role.value.replace('_', '-')}; "
        f"{invitation.max_uses} use(s); expires {expires}"
    )
    print(
        "share the deep link https://t.me/<bot username>?start=" + invitation.code + " or the code:"
    )
    print(invitation.code)
    return 0


async def _area(session: Any, arguments: argparse.Namespace) -> Any:
    if arguments.kalurahan and not arguments.kapanewon:
        raise LookupError("--kalurahan needs --kapanewon")
    if not arguments.kapanewon:
        return None
    area = await find_area(
        session, level=AreaLevel.KAPANEWON, name=arguments.kapanewon, parent=None
    )
    if area is None:
        raise LookupError(f"no kapanewon named {arguments.kapanewon!r}")
    if arguments.kalurahan:
        area = await find_area(
            session, level=AreaLevel.KALURAHAN, name=arguments.kalurahan, parent=area
        )
        if area is None:
            raise LookupError(
                f"no kalurahan named {arguments.kalurahan!r} in {arguments.kapanewon}"
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
