"""Which IPAL a flow is about: asked only of a member of several, checked again on *Kirim*."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation.base import begin_at, question, user_of
from bot.conversation.engine import END, Flow, Hint, Question, Reply, Scope, end
from bot.conversation.steps import Option, chosen_index
from bot.turn import Turn, require_joined
from models.areas import Ipal, load_ipal
from models.users import ipals_of

IPAL = "ipal"
IPAL_ID = "ipal_id"
MAX_LABEL = 60

Entry = Callable[[Turn, Ipal, dict[str, Any]], Awaitable[str | None]]
"""For the chosen IPAL: the step to begin at (adding what it found to the answers), or None
after telling the member something else instead (a request already open, say)."""


async def member_ipals(turn: Turn) -> list[Ipal] | None:
    """The IPALs of a KSM member, or None after telling anybody else this is for members."""
    user = await require_joined(turn)
    if user is None:
        return None
    ipals = [await load_ipal(turn.session, ipal_id=ipal.id) for ipal in ipals_of(user)]
    if not ipals:
        await turn.reply(turn.texts("members-only"))
        return None
    return [ipal for ipal in ipals if ipal is not None]


async def start_flow(turn: Turn, flow: Flow, entry: Entry) -> None:
    """Begin `flow` for the member's IPAL, or with the IPAL question when they have several."""
    ipals = await member_ipals(turn)
    if ipals is None:
        return
    if len(ipals) > 1:
        await begin_at(turn, flow, IPAL, {})
        return
    data: dict[str, Any] = {IPAL_ID: ipals[0].id}
    step = await entry(turn, ipals[0], data)
    if step is None:
        await end(turn, status="replaced")
        return
    await begin_at(turn, flow, str(step), data)


async def chosen_ipal(scope: Scope) -> Ipal | None:
    """The flow's IPAL (its areas loaded), if the user is still a member of it."""
    ipal_id = int(scope.data.get(IPAL_ID, 0))
    if not any(ipal.id == ipal_id for ipal in ipals_of(user_of(scope))):
        return None
    return await load_ipal(scope.turn.session, ipal_id=ipal_id)


async def ipal_params(scope: Scope) -> dict[str, object]:
    """The placeholder `{ipal}` of a flow's first question."""
    ipal = await chosen_ipal(scope)
    return {"ipal": ipal.name if ipal else ""}


def ipal_options(scope: Scope) -> list[Option]:
    return [Option(str(ipal.id), ipal.name[:MAX_LABEL]) for ipal in ipals_of(user_of(scope))]


@dataclass(kw_only=True)
class IpalStep:
    """The IPAL question, for a member of several; `entry` decides where to go from there."""

    entry: Entry
    leads_to: tuple[str, ...]
    """The steps `entry` may begin at (`END` when it may answer with something else)."""
    name: str = IPAL

    def next_steps(self) -> tuple[str, ...]:
        return self.leads_to

    async def ask(self, scope: Scope) -> Question:
        buttons = [[(option.label, option.value)] for option in ipal_options(scope)]
        return question(scope, scope.texts("ipal-choose"), buttons)

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = ipal_options(scope)
        index = chosen_index(reply, options)
        if index is None:
            return Hint("hint-choice")
        scope.data[IPAL_ID] = int(options[index].value)
        ipal = await chosen_ipal(scope)
        if ipal is None:
            return Hint("hint-choice")
        step = await self.entry(scope.turn, ipal, scope.data)
        return END if step is None else str(step)
