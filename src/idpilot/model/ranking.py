"""The order and count a question asks of a list: "the last 3 accounts created", "who was the
first to reset their password"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RANK_LIMIT_MAX = 50
"""The most items a ranked list shows (the lists' own cap)."""


class Rank(BaseModel):
    """Newest or oldest first, and how many (None: as many as the list shows)."""

    model_config = ConfigDict(frozen=True)

    order: Literal["newest", "oldest"]
    limit: int | None = Field(default=None, ge=1, le=RANK_LIMIT_MAX)

    def words(self, done: str) -> str:
        """The order in the answer's words, of things `done` ("created"): "the last 3 created,
        newest first", "the first flagged"."""
        which = "last" if self.order == "newest" else "first"
        if self.limit == 1:
            return f"the {which} {done}"
        count = f" {self.limit}" if self.limit else ""
        return f"the {which}{count} {done}, {self.order} first"

    def shown(self, available: int, cap: int) -> int:
        """How many items to show of `available`, at most `cap` when no count was asked."""
        return min(available, self.limit or cap)
