"""Edit distance counts inserts, deletes, substitutions and swapped neighbours."""

from __future__ import annotations

import pytest

from idpilot.copilot._edit_distance import edit_distance


@pytest.mark.parametrize(
    ("first", "second", "limit", "distance"),
    [
        ("wednesday", "wednesday", 2, 0),
        ("wendesday", "wednesday", 2, 1),  # swapped neighbours
        ("wensday", "wednesday", 2, 2),
        ("thrusday", "thursday", 1, 1),
        ("germnay", "germany", 1, 1),
        ("friday", "fridge", 1, 2),  # past the limit: limit + 1
        ("monday", "sunday", 1, 2),
        ("a", "abcdef", 2, 3),
        ("", "", 0, 0),
    ],
)
def test_edit_distance(first: str, second: str, limit: int, distance: int) -> None:
    assert edit_distance(first, second, limit) == distance
