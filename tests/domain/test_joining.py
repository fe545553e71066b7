"""Tests for domain.joining: what can be an invitation code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.joining import CODE_ALPHABET, CODE_LENGTH, new_code, normalise_code


@pytest.mark.parametrize(
    "text", ["halo", "selamat pagi", "bagaimana cara daftar?", "WRONGCODE1", "ABCDEFGHJKL", ""]
)
def test_chat_is_not_code_shaped(text: str) -> None:
    """Greetings, questions, look-alike letters and a wrong length can't be codes."""
    assert normalise_code(text) is None


def test_a_code_may_be_typed_grouped_and_in_lower_case() -> None:
    """Spaces and hyphens are left out and letters upper-cased."""
    assert normalise_code(" abcd-efgh 23 ") == "ABCDEFGH23"
    assert normalise_code("ABCDEFGHſ2") is None


@given(st.builds(lambda _: new_code(), st.integers()))
def test_every_made_code_is_code_shaped(code: str) -> None:
    """What `new_code` makes is always accepted as it is."""
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert normalise_code(code) == code
