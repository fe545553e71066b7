"""Receiving updates: getUpdates, setWebhook, deleteWebhook, getWebhookInfo."""

from __future__ import annotations

import re

from telesim.errors import bad_request
from telesim.models import JSON
from telesim.params import Params
from telesim.state import Handler, SimState
from telesim.updates import MAX_BATCH, Webhook

_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _store_allowed_updates(state: SimState, params: Params) -> None:
    """A given allowed_updates replaces the previous setting; an omitted one keeps it."""
    allowed = params.obj("allowed_updates")
    if allowed is not None:
        if not isinstance(allowed, list):
            raise bad_request("Bad Request: can't parse allowed_updates JSON object")
        state.updates.allowed_updates = [str(kind) for kind in allowed]


async def get_updates(state: SimState, params: Params) -> list[JSON]:
    if state.updates.webhook is None:
        _store_allowed_updates(state, params)
    limit = min(max(params.integer("limit") or MAX_BATCH, 1), MAX_BATCH)
    timeout = max(params.number("timeout") or 0.0, 0.0)
    return await state.updates.long_poll(params.integer("offset"), limit, timeout)


async def set_webhook(state: SimState, params: Params) -> bool:
    url = params.text("url") or ""
    if not url:
        return await delete_webhook(state, params)
    if not url.startswith(("http://", "https://")):
        raise bad_request("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("Bad Request: secret token contains unallowed characters")
    if params.flag("drop_pending_updates"):
        state.updates.drop_pending()
    _store_allowed_updates(state, params)
    connections = params.integer("max_connections") or 40
    state.updates.set_webhook(Webhook(url, secret, connections))
    state.webhooks.start()
    return True


async def delete_webhook(state: SimState, params: Params) -> bool:
    if params.flag("drop_pending_updates"):
        state.updates.drop_pending()
    state.updates.set_webhook(None)
    return True


async def get_webhook_info(state: SimState, params: Params) -> JSON:
    return state.updates.webhook_info()


HANDLERS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
