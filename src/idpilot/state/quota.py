"""Per-user quotas: units per UTC day, kept in the app state."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from idpilot.errors import IdpilotError
from idpilot.store.app_state import AppState


class QuotaExceededError(IdpilotError):
    """A user has used the day's units; `retry_after` seconds until capacity returns."""

    def __init__(self, used: int, limit: int, returns_at: datetime, retry_after: int) -> None:
        self.used = used
        self.limit = limit
        self.returns_at = returns_at
        self.retry_after = retry_after
        hours, rest = divmod(retry_after, 3600)
        super().__init__(
            f"You have used {used} of your {limit} units for today (UTC). Capacity returns at "
            f"{returns_at.isoformat().replace('+00:00', 'Z')}, in {hours} h {rest // 60} min "
            "(IDPILOT_QUOTA_UNITS_PER_DAY sets the daily units)."
        )


def next_capacity(now: datetime) -> datetime:
    """When the next UTC day begins (a day's units are counted by UTC date)."""
    today = now.astimezone(UTC).date()
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=UTC)


def charge(state: AppState, user: str, units: int, limit: int, now: datetime) -> int:
    """Count `units` against the user's day and return the day's use, or raise
    QuotaExceededError (nothing counted) when they would pass `limit`."""
    charged, used = state.charge_units(user, now.astimezone(UTC).date(), units, limit)
    if not charged:
        returns_at = next_capacity(now)
        wait = max(1, int((returns_at - now).total_seconds() + 0.999))
        raise QuotaExceededError(used, limit, returns_at, wait)
    return used
