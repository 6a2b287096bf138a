"""An in-memory Directory for what-if questions and tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UserFacts:
    """What the engine needs to know about one user."""

    user_type: str | None = "Member"
    group_ids: set[str] = field(default_factory=set)
    role_template_ids: set[str] = field(default_factory=set)


@dataclass
class InMemoryDirectory:
    """A Directory backed by a dict of users; unknown users have no groups, roles or type."""

    users: dict[str, UserFacts] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InMemoryDirectory:
        """Build from {"users": {id: {"userType", "groups": [...], "roles": [...]}}}."""
        users = {
            user_id.lower(): UserFacts(
                user_type=facts.get("userType"),
                group_ids=set(facts.get("groups") or ()),
                role_template_ids=set(facts.get("roles") or ()),
            )
            for user_id, facts in (data.get("users") or {}).items()
        }
        return cls(users)

    def _user(self, user_id: str) -> UserFacts | None:
        return self.users.get(user_id.lower())

    def group_ids_of(self, user_id: str) -> set[str]:
        """Every group the user belongs to (already transitive in this directory)."""
        user = self._user(user_id)
        return set(user.group_ids) if user else set()

    def role_template_ids_of(self, user_id: str) -> set[str]:
        """Directory role template ids the user holds."""
        user = self._user(user_id)
        return set(user.role_template_ids) if user else set()

    def user_type_of(self, user_id: str) -> str | None:
        """`Member` or `Guest`, or None when the user is unknown."""
        user = self._user(user_id)
        return user.user_type if user else None
