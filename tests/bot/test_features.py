"""Features declared wrongly stop the bot at start-up, with one sentence naming the fault."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from bot.app import build_application
from bot.conversation.engine import EDIT, END, SUMMARY, Flow, FlowShapeError, Scope, Step
from bot.conversation.steps import YesNoStep
from bot.conversation.summary import EditStep, SummaryStep
from bot.features import Feature
from bot.menus import MenuEntry
from bot.settings import ExplicitSettings, Settings
from bot.texts import Html
from handlers import features

TOKEN = "123456:TEST-token"


def settings() -> Settings:
    return ExplicitSettings.model_validate(
        {"telegram": {"token": TOKEN}, "database": {"url": "sqlite+aiosqlite://"}}
    )


async def render(scope: Scope) -> Html:
    return scope.texts("summary-check")


async def submit(scope: Scope) -> str:
    return END


async def after_ready(scope: Scope) -> str:
    return END


def flow(steps: Mapping[str, Step], *, first: str = "ready") -> Feature:
    """A feature with one test flow made of `steps`."""
    shaped = Flow(name="shape-test", version=1, steps=steps, first=first)
    return Feature(name="shape-test", handlers=list, flows=(shaped,))


def ready(then: str = SUMMARY) -> YesNoStep:
    return YesNoStep(name="ready", prompt="report-ask-operator", then=then)


def fails_with(feature: Feature) -> str:
    """The sentence `build_application` stops with when `feature` is added."""
    with pytest.raises(FlowShapeError) as raised:
        build_application(settings(), features=[*features(), feature])
    return str(raised.value)


def test_a_summary_without_its_edit_step_fails_at_start_up() -> None:
    """A flow with a summary but no *Ubah* step is refused when the bot is composed."""
    summary = SummaryStep(render=render, submit=submit)
    assert fails_with(flow({"ready": ready(), SUMMARY: summary})) == (
        "flow 'shape-test' has a 'summary' step but no 'edit' step for changing an answer"
    )


def test_a_transition_to_a_missing_step_fails_at_start_up() -> None:
    """A step whose fixed next step is not in the flow is refused."""
    assert fails_with(flow({"ready": ready(then="nowhere")})) == (
        "flow 'shape-test' has a step 'ready' leading to step 'nowhere', which it does not have"
    )


def test_a_declared_computed_transition_to_a_missing_step_fails_at_start_up() -> None:
    """A computed next step is checked against the names the step declares it may lead to."""
    step = YesNoStep(
        name="ready", prompt="report-ask-operator", then=after_ready, leads_to=(END, "later")
    )
    assert fails_with(flow({"ready": step})) == (
        "flow 'shape-test' has a step 'ready' leading to step 'later', which it does not have"
    )


def test_a_computed_transition_left_undeclared_fails_at_start_up() -> None:
    """A step that computes its next step must say which steps it may lead to."""
    step = YesNoStep(name="ready", prompt="report-ask-operator", then=after_ready)
    assert fails_with(flow({"ready": step})) == (
        "flow 'shape-test' has a step 'ready' that declares no step it may lead to"
    )


def test_a_missing_first_step_fails_at_start_up() -> None:
    """A flow that begins at a step it does not have is refused."""
    assert fails_with(flow({"ready": ready(then=END)}, first="start")) == (
        "flow 'shape-test' begins at step 'start', which it does not have"
    )


def test_a_flow_registered_twice_fails_at_start_up() -> None:
    """Two features may not register flows of the same name."""
    twice = flow({"ready": ready(then=END)})
    with pytest.raises(FlowShapeError, match="flow 'shape-test' is registered twice"):
        build_application(settings(), features=[*features(), twice, twice])


def test_a_sound_flow_composes() -> None:
    """A flow whose every transition exists is accepted beside the real features."""
    steps: dict[str, Step] = {
        "ready": ready(),
        SUMMARY: SummaryStep(render=render, submit=submit),
        EDIT: EditStep(fields=lambda scope: [("ready", "field-operator")]),
    }
    application = build_application(settings(), features=[*features(), flow(steps)])
    assert application.handlers


def test_a_menu_command_declared_twice_fails_at_start_up() -> None:
    """Two features may not claim the same command for the command list."""
    again = MenuEntry(action="again", command="lapor", description="command-report")
    feature = Feature(name="again", handlers=list, menu=(again,))
    with pytest.raises(ValueError, match=r"menu entry 'again' \(/lapor\) repeats"):
        build_application(settings(), features=[*features(), feature])
