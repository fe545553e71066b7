"""Settings: file, environment, and one clear sentence for every mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.texts import Texts

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sanimas.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid() -> None:
    """The shipped example parses, with the placeholder token treated as missing."""
    settings = load_settings(Path(__file__).parents[2] / "config.example.toml")
    assert settings.telegram.token is None
    assert settings.database.url == "sqlite+aiosqlite:///sanimas.db"


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SANIMAS_<SECTION>__<KEY> wins over the file."""
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///a.db"\n')
    monkeypatch.setenv("SANIMAS_DATABASE__URL", "sqlite+aiosqlite:///b.db")
    monkeypatch.setenv("SANIMAS_TELEGRAM__TOKEN", TOKEN)
    monkeypatch.setenv("SANIMAS_TELEGRAM__BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(path)
    assert settings.database.url == "sqlite+aiosqlite:///b.db"
    assert settings.telegram.require_token() == TOKEN
    assert settings.telegram.base_url == "http://127.0.0.1:8081/bot"


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SANIMAS_CONFIG names the file when --config is not given."""
    monkeypatch.setenv("SANIMAS_CONFIG", str(write(tmp_path, "[outbox]\nglobal_rate = 10\n")))
    assert load_settings().outbox.global_rate == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[telegram]\ntoken = "1:a"\nfoo = \n', "is not valid TOML: look at line 3, column 7"),
        ("[database]\nurll = 1\n", "config: database.urll: unknown key"),
        ("[nonsense]\nx = 1\n", "config: nonsense: unknown key"),
        (
            "[outbox]\nglobal_rate = 99\n",
            "config: outbox.global_rate: at most 30",
        ),
        (
            '[database]\nurl = "mysql://x"\n',
            "config: database.url: must start with sqlite+aiosqlite://",
        ),
        (
            '[telegram]\ntoken = "secret token"\n',
            "config: telegram.token: does not look like a bot token",
        ),
        ('[telegram]\nmode = "pigeon"\n', "config: telegram.mode: must be one of 'polling'"),
        ("[telegram]\npoll_timeout = 2.5\n", "config: telegram.poll_timeout: must be a whole"),
        ('[scheduler]\nquiet_start = "late"\n', "config: scheduler.quiet_start: must be a time"),
        ("telegram = 5\n", "config: telegram: must be a section [telegram]"),
        (
            '[clock]\nstart = "2026-12-01T08:00:00"\n',
            "config: clock.start: needs a time zone",
        ),
    ],
)
def test_bad_file_gives_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    """Each mistake is named with its key (or line) and never echoes the value."""
    with pytest.raises(SettingsError) as raised:
        load_settings(write(tmp_path, text))
    told = Texts("en").error(raised.value)
    assert message in told
    assert "secret token" not in told
    assert "secret token" not in repr(raised.value)


def test_settings_errors_are_told_in_indonesian_too(tmp_path: Path) -> None:
    """The same mistake in the Indonesian catalogue, the key still named."""
    with pytest.raises(SettingsError) as raised:
        load_settings(write(tmp_path, "[outbox]\nglobal_rate = 99\n"))
    assert Texts("id").error(raised.value) == "pengaturan: outbox.global_rate: paling besar 30"


def test_missing_token_is_named() -> None:
    """`require_token` says which key and which variable to set."""
    with pytest.raises(SettingsError) as raised:
        load_settings(None).telegram.require_token()
    assert "SANIMAS_TELEGRAM__TOKEN" in Texts("en").error(raised.value)


def test_cli_reports_bad_config_without_traceback(tmp_path: Path) -> None:
    """`sanimas run` with a bad file exits 2 with one line on stderr."""
    path = write(tmp_path, '[telegram]\nmode = "carrier-pigeon"\n')
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot.cli", "--config", str(path), "run"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "en_US.UTF-8"},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "sanimas: config: telegram.mode: must be one of 'polling', 'webhook'\n"
    )
    assert "Traceback" not in result.stderr


def test_cli_without_token_says_so(tmp_path: Path) -> None:
    """`sanimas run` without a token names the setting, in Indonesian when no locale is set."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("sanimas: telegram.token belum diisi")
