"""Edit distance for short words: how misspelt "wendesday" or "Germnay" is."""

from __future__ import annotations


def edit_distance(first: str, second: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `first` to `second`.

    Stops early: any distance above `limit` is returned as `limit + 1`.
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
