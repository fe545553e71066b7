"""Tests for domain.errors."""

from __future__ import annotations

import pytest

from domain.errors import InputError


def test_input_error_carries_key_and_params() -> None:
    """The key and params are kept for the handler to look up a catalogue text."""
    error = InputError("input-number-range", {"min": 0, "max": 10})
    assert (error.key, error.params) == ("input-number-range", {"min": 0, "max": 10})


def test_input_error_without_params_has_an_empty_dict() -> None:
    """Params default to an empty dict, not None."""
    assert InputError("input-money-invalid").params == {}


def test_input_error_is_a_value_error() -> None:
    """Code that catches ValueError also catches input errors."""
    with pytest.raises(ValueError, match="input-date-past"):
        raise InputError("input-date-past")


def test_input_errors_compare_by_key_and_params() -> None:
    """Two errors with the same key and params are equal and hash alike."""
    first, second = InputError("k", {"a": 1}), InputError("k", {"a": 1})
    assert first == second
    assert hash(first) == hash(second)
    assert first != InputError("k", {"a": 2})


def test_input_error_copies_params() -> None:
    """Changing the mapping given later does not change the error."""
    params: dict[str, str | int] = {"max": 5}
    error = InputError("k", params)
    params["max"] = 6
    assert error.params == {"max": 5}
