"""Which IPAL a flow is about: asked only of a member of several, checked again on *Kirim*.

Whether the user may work on the IPAL is `domain.access.may`, for the deed the flow's IPAL
step names (a monthly report, a problem report, a desludging request).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation.base import begin_at, question, user_of
from bot.conversation.engine import END, Flow, Hint, Question, Reply, Scope, end
from bot.conversation.steps import Option, chosen_index
from bot.turn import Turn, require_joined
from domain.access import Deed, may
from models.areas import Ipal, load_ipal, place_of
from models.users import User, grants_of, ipals_of

IPAL = "ipal"
IPAL_ID = "ipal_id"
MAX_LABEL = 60

Entry = Callable[[Turn, Ipal, dict[str, Any]], Awaitable[str | None]]
"""For the chosen IPAL: the step to begin at (adding what it found to the answers), or None
after telling the member something else instead (a request already open, say)."""


def allowed_ipals(user: User, deed: Deed) -> list[Ipal]:
    """The IPALs the user belongs to and may do `deed` on, in the order they joined."""
    grants = grants_of(user)
    return [ipal for ipal in ipals_of(user) if may(grants, deed, place_of(ipal))]


async def member_ipals(turn: Turn, deed: Deed) -> list[Ipal] | None:
    """The IPALs of a KSM member (for `deed`), or None after telling anybody else this is for
    members."""
    user = await require_joined(turn)
    if user is None:
        return None
    ipals = [await load_ipal(turn.session, ipal_id=ipal.id) for ipal in allowed_ipals(user, deed)]
    if not ipals:
        await turn.reply(turn.texts("members-only"))
        return None
    return [ipal for ipal in ipals if ipal is not None]


def deed_of(flow: Flow | None) -> Deed | None:
    """What a flow does on its IPAL, as its IPAL step says."""
    step = flow.steps.get(IPAL) if flow is not None else None
    return step.deed if isinstance(step, IpalStep) else None


async def start_flow(turn: Turn, flow: Flow, entry: Entry) -> None:
    """Begin `flow` for the member's IPAL, or with the IPAL question when they have several."""
    deed = deed_of(flow)
    if deed is None:
        raise ValueError(f"flow {flow.name} has no IPAL step")
    ipals = await member_ipals(turn, deed)
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


async def start_flow_for(turn: Turn, flow: Flow, entry: Entry, ipal_id: int) -> bool:
    """Begin `flow` for this IPAL (a reminder's button names it); False, doing nothing, when
    the user may not do the flow's deed there (any more)."""
    deed = deed_of(flow)
    user = await require_joined(turn)
    if deed is None or user is None:
        return False
    ipal = next((i for i in allowed_ipals(user, deed) if i.id == ipal_id), None)
    loaded = await load_ipal(turn.session, ipal_id=ipal.id) if ipal is not None else None
    if loaded is None:
        return False
    data: dict[str, Any] = {IPAL_ID: loaded.id}
    step = await entry(turn, loaded, data)
    if step is None:
        await end(turn, status="replaced")
        return True
    await begin_at(turn, flow, str(step), data)
    return True


async def chosen_ipal(scope: Scope) -> Ipal | None:
    """The flow's IPAL (its areas loaded), if the user may still do the flow's deed on it."""
    deed = deed_of(scope.turn.runtime.flows.get(scope.conversation.flow))
    ipal = await load_ipal(scope.turn.session, ipal_id=int(scope.data.get(IPAL_ID, 0)))
    if deed is None or ipal is None or not may(grants_of(user_of(scope)), deed, place_of(ipal)):
        return None
    return ipal


async def ipal_params(scope: Scope) -> dict[str, object]:
    """The placeholder `{ipal}` of a flow's first question."""
    ipal = await chosen_ipal(scope)
    return {"ipal": ipal.name if ipal else ""}


def ipal_options(scope: Scope, deed: Deed) -> list[Option]:
    ipals = allowed_ipals(user_of(scope), deed)
    return [Option(str(ipal.id), ipal.name[:MAX_LABEL]) for ipal in ipals]


@dataclass(kw_only=True)
class IpalStep:
    """The IPAL question, for a member of several; `entry` decides where to go from there."""

    entry: Entry
    deed: Deed
    """What the flow does on the IPAL: only IPALs where the user may do it are offered."""
    leads_to: tuple[str, ...]
    """The steps `entry` may begin at (`END` when it may answer with something else)."""
    name: str = IPAL

    def next_steps(self) -> tuple[str, ...]:
        return self.leads_to

    async def ask(self, scope: Scope) -> Question:
        buttons = [[(option.label, option.value)] for option in ipal_options(scope, self.deed)]
        return question(scope, scope.texts("ipal-choose"), buttons)

    async def take(self, scope: Scope, reply: Reply) -> str | Hint:
        options = ipal_options(scope, self.deed)
        index = chosen_index(reply, options)
        if index is None:
            return Hint("hint-choice")
        scope.data[IPAL_ID] = int(options[index].value)
        ipal = await chosen_ipal(scope)
        if ipal is None:
            return Hint("hint-choice")
        step = await self.entry(scope.turn, ipal, scope.data)
        return END if step is None else str(step)
