"""Thin Telegram handlers, one module per feature, registered in one documented order."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers import (
    alerts,
    common,
    conversation_input,
    desludging,
    joining,
    membership,
    menu,
    problem,
    report,
    status,
)

MAIN_GROUP = 0
"""Everything runs in one group: PTB runs only the first matching handler of a group, so the
order below decides, and exactly one handler owns (and marks handled) each update."""

FEATURES = (joining, membership, common, alerts, report, problem, desludging, status)


def register_all(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Edited messages first (an edit never answers or starts anything), group chats next (the
    bot only says it works in private chats), then each feature's commands and buttons, then
    menu labels, then input to a running conversation, then the fallback that answers
    everything else."""
    ordered = [
        *common.edit_handlers(),
        *common.group_handlers(),
        *(handler for feature in FEATURES for handler in feature.handlers()),
        *menu.handlers(),
        *conversation_input.handlers(),
        *common.fallback_handlers(),
    ]
    for handler in ordered:
        application.add_handler(handler, MAIN_GROUP)
