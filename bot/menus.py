"""Each user's main menu and command list: the union of what their roles may do."""

from __future__ import annotations

import enum

from bot.keyboards import Markup, reply_keyboard
from bot.texts import LANGUAGES, Texts
from domain.vocabulary import Role


class Action(enum.StrEnum):
    REPORT = "report"
    PROBLEM = "problem"
    DESLUDGING = "desludging"
    STATUS = "status"
    INVITE = "invite"
    PEOPLE = "people"
    HELP = "help"
    LANGUAGE = "language"


MEMBER_ACTIONS = (Action.REPORT, Action.PROBLEM, Action.DESLUDGING, Action.STATUS)
PEOPLE_ACTIONS = (Action.INVITE, Action.PEOPLE)
COMMON_ACTIONS = (Action.HELP, Action.LANGUAGE)
COMMAND_OF = {
    Action.REPORT: "lapor",
    Action.PROBLEM: "masalah",
    Action.DESLUDGING: "sedot",
    Action.STATUS: "status",
    Action.INVITE: "undang",
    Action.PEOPLE: "pengguna",
    Action.HELP: "bantuan",
    Action.LANGUAGE: "bahasa",
}


def actions_for(roles: frozenset[Role]) -> list[Action]:
    """Menu actions in a fixed order; a member's work first, help and language last."""
    actions: list[Action] = []
    if roles & {Role.MEMBER, Role.CHAIR}:
        actions.extend(MEMBER_ACTIONS)
    if roles & {Role.ADMIN, Role.CHAIR}:
        actions.extend(PEOPLE_ACTIONS)
    return [*actions, *COMMON_ACTIONS]


def main_menu(texts: Texts, roles: frozenset[Role]) -> Markup:
    labels = [texts(f"menu-{action}") for action in actions_for(roles)]
    return reply_keyboard([labels[i : i + 2] for i in range(0, len(labels), 2)])


def command_list(texts: Texts, roles: frozenset[Role]) -> list[dict[str, str]]:
    commands = [
        {"command": COMMAND_OF[action], "description": texts(f"command-{action}")}
        for action in actions_for(roles)
    ]
    commands.append({"command": "batal", "description": texts("command-cancel")})
    return commands


def menu_action(text: str) -> Action | None:
    """The action of a menu button's label, in any language (the keyboard may be older)."""
    for language in LANGUAGES:
        texts = Texts(language)
        for action in Action:
            if text.strip() == texts(f"menu-{action}"):
                return action
    return None
