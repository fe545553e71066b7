"""One typed settings object: TOML file, overridden by `SANIMAS_<SECTION>__<KEY>` variables."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime, time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from domain.errors import InputError
from domain.reminders import LlttRule

CONFIG_ENV = "SANIMAS_CONFIG"
DEFAULT_CONFIG = Path("sanimas.toml")
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,200}$")
PLACEHOLDER_TOKENS = {"", "PUT-YOUR-TOKEN-HERE", "changeme"}


class SettingsError(InputError):
    """A configuration problem, told as one sentence that names the key."""


PYDANTIC_REASONS = {
    "extra_forbidden": "config-unknown-key",
    "missing": "config-missing",
    "less_than_equal": "config-at-most",
    "less_than": "config-below",
    "greater_than_equal": "config-at-least",
    "greater_than": "config-above",
    "int_parsing": "config-whole-number",
    "int_type": "config-whole-number",
    "int_from_float": "config-whole-number",
    "float_parsing": "config-number",
    "float_type": "config-number",
    "bool_parsing": "config-true-false",
    "bool_type": "config-true-false",
    "string_type": "config-text",
    "literal_error": "config-one-of",
    "string_pattern_mismatch": "config-pattern",
    "datetime_parsing": "config-datetime",
    "datetime_type": "config-datetime",
    "datetime_from_date_parsing": "config-datetime",
    "time_parsing": "config-time",
    "time_type": "config-time",
    "model_type": "config-section",
    "dict_type": "config-section",
}
"""Pydantic's error types as catalogue keys; their `ctx` values fill the texts."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookSettings(Section):
    listen: str = "127.0.0.1"
    port: int = Field(default=8443, ge=1, le=65535)
    url: str | None = None
    path: str = "telegram"
    secret_token: SecretStr | None = None

    @field_validator("secret_token")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("config-secret-shape")
        return value


class TelegramSettings(Section):
    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    poll_timeout: int = Field(default=30, ge=0, le=50)
    webhook: WebhookSettings = WebhookSettings()

    @field_validator("token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value().strip()
        if raw in PLACEHOLDER_TOKENS:
            return None
        if not TOKEN_PATTERN.fullmatch(raw):
            raise ValueError("config-token-shape")
        return SecretStr(raw)

    def require_token(self) -> str:
        if self.token is None:
            raise SettingsError("config-token-missing")
        return self.token.get_secret_value()


class DatabaseSettings(Section):
    url: str = "sqlite+aiosqlite:///sanimas.db"
    echo: bool = False
    busy_timeout_ms: int = Field(default=5000, ge=0)
    schema_name: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    """PostgreSQL only: the schema the bot's tables live in (its search_path)."""
    pool_size: int = Field(default=20, ge=1, le=200)
    """Connections the bot keeps open, never more; at least `outbox.concurrency` + 4 are
    used whatever this says."""

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("config-database-url")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class OutboxSettings(Section):
    global_rate: float = Field(default=25.0, gt=0, le=30)
    chat_rate: float = Field(default=1.0, gt=0, le=1)
    chat_burst: int = Field(default=3, ge=1, le=5)
    group_per_minute: int = Field(default=20, ge=1, le=20)
    max_attempts: int = Field(default=8, ge=1)
    max_backoff_seconds: float = Field(default=300.0, gt=0)
    concurrency: int = Field(default=16, ge=1, le=64)
    poll_seconds: float = Field(default=1.0, ge=1.0)
    """How often the worker reads the queue for rows other processes wrote."""


class ConversationSettings(Section):
    idle_minutes: float = Field(default=30.0, gt=0)


class ReportSettings(Section):
    grace_days: int = Field(default=5, ge=0, le=27)
    desludging_interval_months: int = Field(default=24, ge=1, le=120)
    desludging_max_days_ahead: int = Field(default=90, ge=1)


class ReminderSettings(Section):
    """When the bot reminds, escalates and sends digests by itself (days, WIB)."""

    monthly_day: int = Field(default=25, ge=1, le=28)
    lltt_days_before: tuple[int, ...] = (30, 7)
    lltt_overdue_every_days: int = Field(default=14, ge=1)
    lltt_officials_after_days: int = Field(default=30, ge=0)
    escalate_kapanewon_after_days: int = Field(default=3, ge=1)
    escalate_admins_after_days: int = Field(default=7, ge=1)
    critical_repeat_after_days: int = Field(default=1, ge=1)
    unscheduled_request_after_days: int = Field(default=7, ge=1)
    digest_weekday: int = Field(default=0, ge=0, le=6)
    """0 is Monday."""
    digest_time: time = time(7, 0)

    @field_validator("lltt_days_before")
    @classmethod
    def _positive(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(days <= 0 for days in value):
            raise ValueError("config-positive-days")
        return value

    def lltt_rule(self) -> LlttRule:
        return LlttRule(
            days_before=self.lltt_days_before,
            overdue_every=self.lltt_overdue_every_days,
            officials_after=self.lltt_officials_after_days,
        )


class ExportSettings(Section):
    upload_limit_mb: float = Field(default=50.0, gt=0, le=2000)
    """The largest file the Bot API server takes: 50 MB for Telegram's, up to 2000 MB for a
    local Bot API server."""


class JoinSettings(Section):
    max_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    default_expires_days: int = Field(default=14, ge=1)


class FollowUpSettings(Section):
    check_back_days: int = Field(default=3, ge=1, le=60)


class SchedulerSettings(Section):
    sweep_seconds: float = Field(default=60.0, gt=0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(6, 0)


class ClockSettings(Section):
    start: datetime | None = None
    """When set, the clock starts at this instant and runs on (demos, end-to-end runs)."""

    @field_validator("start")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("config-needs-zone")
        return value


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SANIMAS_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    telegram: TelegramSettings = TelegramSettings()
    database: DatabaseSettings = DatabaseSettings()
    outbox: OutboxSettings = OutboxSettings()
    conversation: ConversationSettings = ConversationSettings()
    reports: ReportSettings = ReportSettings()
    export: ExportSettings = ExportSettings()
    join: JoinSettings = JoinSettings()
    reminders: ReminderSettings = ReminderSettings()
    follow_up: FollowUpSettings = FollowUpSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    clock: ClockSettings = ClockSettings()
    logging: LoggingSettings = LoggingSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then the TOML file (passed as init values)."""
        return env_settings, init_settings


class ExplicitSettings(Settings):
    """Settings from the values given only, ignoring the environment (the demo, the tests)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML file (if any) under the environment; raise SettingsError on any problem."""
    env_path = os.environ.get(CONFIG_ENV)
    config_path = path or (Path(env_path) if env_path else None)
    data = _read_toml(config_path) if config_path else _read_default_toml()
    try:
        return Settings(**data)
    except ValidationError as error:
        raise _describe(error) from None


def _read_default_toml() -> dict[str, Any]:
    return _read_toml(DEFAULT_CONFIG) if DEFAULT_CONFIG.is_file() else {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError("config-no-file", {"path": str(path)}) from None
    except OSError as error:
        raise SettingsError(
            "config-unreadable", {"path": str(path), "reason": error.strerror or str(error)}
        ) from None
    except UnicodeDecodeError:
        raise SettingsError("config-not-utf8", {"path": str(path)}) from None
    except tomllib.TOMLDecodeError as error:
        place = TOML_PLACE.search(str(error))
        if place is None:
            raise SettingsError("config-not-toml", {"path": str(path)}) from None
        raise SettingsError(
            "config-not-toml-at",
            {"path": str(path), "line": int(place["line"]), "column": int(place["column"])},
        ) from None


TOML_PLACE = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)")


def _describe(error: ValidationError) -> SettingsError:
    """The first validation problem as one sentence naming the key, never echoing the value."""
    first = error.errors(include_input=False, include_url=False)[0]
    key = ".".join(str(part) for part in first["loc"])
    context = {name: _shown(value) for name, value in first.get("ctx", {}).items()}
    if first["type"] == "value_error" and context.get("error", "").startswith("config-"):
        return SettingsError(context["error"], {"key": key})  # our validators raise text keys
    if "expected" in context:
        context["expected"] = context["expected"].replace(" or ", ", ")
    reason = PYDANTIC_REASONS.get(first["type"])
    if reason is None:
        return SettingsError("config-invalid", {"key": key, "detail": str(first["msg"])})
    return SettingsError(reason, {**context, "key": key})


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
