"""The one time-window type: from the prompt's time phrase to a skill's input to SQL parameters."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class TimeWindow(BaseModel):
    """A half-open UTC interval [start, end) and the words it came from ("last week")."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    phrase: str = ""

    def contains(self, moment: datetime) -> bool:
        """True when `moment` lies in the window."""
        return self.start <= moment < self.end

    def params(self) -> dict[str, datetime]:
        """The window as bound SQL parameters `$start` and `$end`."""
        return {"start": self.start, "end": self.end}
