"""Tests for domain.volume: the ways operators type a volume, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InputError
from domain.volume import format_volume, parse_volume


@pytest.mark.parametrize(
    ("typed", "volume"),
    [("3", "3.00"), ("3,5", "3.50"), ("2.25", "2.25"), ("4 m3", "4.00"), ("4,5 m³", "4.50")],
)
def test_volumes_are_read(typed: str, volume: str) -> None:
    """Comma or point decimals, with or without the unit."""
    assert parse_volume(typed) == Decimal(volume)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("banyak", "desludging-volume-invalid"),
        ("3,555", "desludging-volume-invalid"),
        ("0", "desludging-volume-range"),
        ("250", "desludging-volume-range"),
    ],
)
def test_bad_volumes_are_refused(typed: str, key: str) -> None:
    """Words, three decimals, nothing and too much each get their hint."""
    with pytest.raises(InputError) as caught:
        parse_volume(typed)
    assert caught.value.key == key


def test_volume_is_written_in_the_readers_language() -> None:
    assert (format_volume(Decimal("3.50"), "id"), format_volume(Decimal("3.50"), "en")) == (
        "3,5",
        "3.5",
    )
    assert format_volume(Decimal("4.00"), "id") == "4"
