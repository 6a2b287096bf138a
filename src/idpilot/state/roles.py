"""The roles a token carries: each includes what the one below it may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """reader: ask and read; operator: also prepare remediation proposals; admin: also manage
    tokens, usage and the audit trail."""

    reader = "reader"
    operator = "operator"
    admin = "admin"

    @property
    def rank(self) -> int:
        """Higher ranks may do everything lower ranks may."""
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether a caller with this role may use a route that needs `needed`."""
        return self.rank >= needed.rank
