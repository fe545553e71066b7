"""Thin Telegram handlers, one module per feature, registered in one documented order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import Application

from bot.features import Feature, register_features
from bot.runtime import Runtime
from handlers import (
    alerts,
    broadcast,
    common,
    conversation_input,
    desludging,
    follow_up,
    joining,
    membership,
    menu,
    people,
    problem,
    rekap,
    reminders,
    report,
    status,
)

MAIN_GROUP = 0
"""Everything runs in one group: PTB runs only the first matching handler of a group, so the
order below decides, and exactly one handler owns (and marks handled) each update."""

FEATURES = (
    joining,
    membership,
    common,
    alerts,
    follow_up,
    report,
    problem,
    desludging,
    status,
    rekap,
    people,
    broadcast,
    reminders,
)
"""The features in the order their handlers are tried and their menu entries are shown."""


def features() -> list[Feature]:
    """Every feature's declaration, in the documented order."""
    return [module.feature() for module in FEATURES]


def register_all(
    application: Application[Any, Any, Any, Any, Any, Any],
    runtime: Runtime,
    features: Sequence[Feature],
) -> None:
    """Check and register the features' flows and menu entries, then add the handlers: edited
    messages first (an edit never answers or starts anything), group chats next (the bot only
    says it works in private chats), then each feature's commands and buttons, then menu
    labels, then input to a running conversation, then the fallback that answers the rest."""
    register_features(runtime, features)
    ordered = [
        *common.edit_handlers(),
        *common.group_handlers(),
        *(handler for feature in features for handler in feature.handlers()),
        *menu.handlers(runtime.menu),
        *conversation_input.handlers(),
        *common.fallback_handlers(),
    ]
    for handler in ordered:
        application.add_handler(handler, MAIN_GROUP)
