"""Sign-ins as a filtered, paged list, newest first (the API's sign-ins route)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from idpilot.store.database import Store

_WHERE = """
WHERE ($user IS NULL OR userId = $user OR lower(userPrincipalName) = lower($user)
       OR lower(userDisplayName) = lower($user))
  AND ($app IS NULL OR appId = $app OR lower(appDisplayName) = lower($app))
  AND ($status IS NULL OR ($status = 'success' AND errorCode = 0)
       OR ($status = 'failure' AND errorCode <> 0))
  AND ($error_code IS NULL OR errorCode = $error_code)
  AND ($start IS NULL OR createdDateTime >= $start)
  AND ($end IS NULL OR createdDateTime < $end)
"""
_PAGE_SQL = (
    """
SELECT id, createdDateTime, userId, userPrincipalName, userDisplayName, appId, appDisplayName,
       ipAddress, clientAppUsed, isInteractive, conditionalAccessStatus, errorCode,
       status->>'failureReason' AS failureReason, location->>'city' AS city,
       location->>'countryOrRegion' AS countryOrRegion
FROM signIns"""
    + _WHERE
    + "ORDER BY createdDateTime DESC, id DESC LIMIT $limit OFFSET $offset"
)
_COUNT_SQL = "SELECT count(*) AS n FROM signIns" + _WHERE


@dataclass(frozen=True)
class SignInFilter:
    """Which sign-ins to list (None: any). `user` is an object id, UPN or display name; `app`
    an appId or display name; `status` `success` (error code 0) or `failure` (any other)."""

    user: str | None = None
    app: str | None = None
    status: str | None = None
    error_code: int | None = None
    start: datetime | None = None
    end: datetime | None = None

    def params(self) -> dict[str, Any]:
        """The bound values of the filter."""
        return {
            "user": self.user,
            "app": self.app,
            "status": self.status,
            "error_code": self.error_code,
            "start": self.start,
            "end": self.end,
        }


def sign_in_page(
    store: Store, where: SignInFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the matching sign-ins, newest first, and how many match in all."""
    rows = store.query(_PAGE_SQL, {**where.params(), "limit": limit, "offset": offset})
    total = int(store.query(_COUNT_SQL, where.params())[0]["n"])
    return rows, total
