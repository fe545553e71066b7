"""What a feature brings to the bot: its handlers, its conversations and its menu entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseHandler

from bot.conversation.engine import Flow, register_flow
from bot.menus import Menu, MenuEntry
from bot.runtime import Runtime

Handlers = Callable[[], list[BaseHandler[Any, Any, Any]]]


@dataclass(frozen=True, kw_only=True)
class Feature:
    """A feature's declaration; `handlers/<feature>` exposes one as `FEATURE`."""

    name: str
    handlers: Handlers
    """Its commands and buttons, in the order they are tried."""
    flows: tuple[Flow, ...] = ()
    """The conversations it starts; each is checked when the bot is composed."""
    menu: tuple[MenuEntry, ...] = ()
    """Its menu buttons and commands, in the order the user sees them."""


def register_features(runtime: Runtime, features: Sequence[Feature]) -> None:
    """Check and register every feature's flows and menu entries, in the features' order."""
    for feature in features:
        for flow in feature.flows:
            register_flow(runtime.flows, flow)
        runtime.menu.add(*feature.menu)


def menu_of(features: Sequence[Feature]) -> Menu:
    """The menu the features declare, for a process that runs no bot (the command line)."""
    menu = Menu()
    for feature in features:
        menu.add(*feature.menu)
    return menu
