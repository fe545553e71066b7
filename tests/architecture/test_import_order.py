"""Imports go one way: handlers → bot → models → domain, the scheduler beside the handlers.

Only the composition root, the command line and the demo may import `handlers` and
`scheduler`, and only the demo may import the simulator (`telesim`), which is a tool, not the
product. A module-level import and one inside a function count the same.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "scheduler", "models", "domain", "telesim")

MAY_IMPORT: dict[str, frozenset[str]] = {
    "domain": frozenset({"domain"}),
    "models": frozenset({"models", "domain"}),
    "bot": frozenset({"bot", "models", "domain"}),
    "handlers": frozenset({"handlers", "bot", "models", "domain"}),
    "scheduler": frozenset({"scheduler", "bot", "models", "domain"}),
    "telesim": frozenset({"telesim"}),
}
"""What each package may import of the project's own packages."""

EXCEPTIONS: dict[str, frozenset[str]] = {
    "bot/app.py": frozenset({"handlers", "scheduler"}),
    "bot/cli/": frozenset({"handlers", "scheduler"}),
    "bot/demo/": frozenset({"handlers", "scheduler", "telesim"}),
}
"""Files (or folders, ending in `/`) allowed more than their package, and what more."""


def imported_packages(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level package) of every absolute import of the project's own packages."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in PACKAGES:
                yield node.lineno, top


def allowed_for(relative: str) -> frozenset[str]:
    package = relative.split("/")[0]
    extra = frozenset[str]().union(
        *(more for prefix, more in EXCEPTIONS.items() if relative.startswith(prefix))
    )
    return MAY_IMPORT[package] | extra


def back_imports(root: Path) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            allowed = allowed_for(relative)
            for line, top in imported_packages(path):
                if top not in allowed:
                    found.append(f"{relative}:{line} imports {top}")
    return found


def test_imports_go_one_way() -> None:
    """No module imports a package above its own, outside the listed exceptions."""
    assert back_imports(ROOT) == []


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("models/users.py", "from bot.clock import WIB\n", "models/users.py:1 imports bot"),
        ("bot/turn.py", "import handlers.common\n", "bot/turn.py:1 imports handlers"),
        (
            "domain/lltt.py",
            "def f():\n    from models import Ipal\n",
            "domain/lltt.py:2 imports models",
        ),
        (
            "handlers/menu.py",
            "from telesim import Simulator\n",
            "handlers/menu.py:1 imports telesim",
        ),
        ("bot/cli/main.py", "from telesim import Simulator\n", "bot/cli/main.py:1 imports telesim"),
        (
            "scheduler/sweeps.py",
            "from handlers import common\n",
            "scheduler/sweeps.py:1 imports handlers",
        ),
    ],
)
def test_a_back_import_is_caught(tmp_path: Path, relative: str, source: str, expected: str) -> None:
    """The check names a planted back-import with its file and line."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    planted = tmp_path / relative
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text(source, encoding="utf-8")
    assert back_imports(tmp_path) == [expected]


def test_the_demo_may_use_the_simulator(tmp_path: Path) -> None:
    """The listed exceptions hold: the demo imports the simulator and the handlers."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    (tmp_path / "bot" / "demo").mkdir()
    (tmp_path / "bot/demo/main.py").write_text("import telesim\nimport handlers\n")
    assert back_imports(tmp_path) == []
