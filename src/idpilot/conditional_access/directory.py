"""In-memory Directories for what-if questions and tests, and one extra what-if principal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from idpilot.conditional_access.context import Directory


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


HYPOTHETICAL_PRINCIPAL_ID = "hypothetical-principal"
"""The user id of a principal that exists only in a what-if (never a directory object id)."""


class WithPrincipal:
    """A Directory in which one more principal exists, with exactly the facts given.

    Answers "what would someone holding role X face?": the principal holds the given role
    template ids as ACTIVE assignments (what a directory-role condition sees), is in the given
    groups only, and has the given userType; every other user is answered by `inner`.
    """

    def __init__(
        self,
        inner: Directory,
        facts: UserFacts,
        principal_id: str = HYPOTHETICAL_PRINCIPAL_ID,
    ) -> None:
        self._inner = inner
        self._facts = facts
        self._principal = principal_id.lower()

    @classmethod
    def holding(cls, inner: Directory, template_ids: set[str] | frozenset[str]) -> WithPrincipal:
        """A Member with no group memberships who holds these role templates, and nothing else."""
        return cls(inner, UserFacts(role_template_ids={t.lower() for t in template_ids}))

    @property
    def principal_id(self) -> str:
        """The id to put in the SignInContext for the hypothetical principal."""
        return self._principal

    def group_ids_of(self, user_id: str) -> set[str]:
        """The principal's groups, or the inner directory's answer."""
        if user_id.lower() == self._principal:
            return set(self._facts.group_ids)
        return self._inner.group_ids_of(user_id)

    def role_template_ids_of(self, user_id: str) -> set[str]:
        """The principal's role templates, or the inner directory's answer."""
        if user_id.lower() == self._principal:
            return set(self._facts.role_template_ids)
        return self._inner.role_template_ids_of(user_id)

    def user_type_of(self, user_id: str) -> str | None:
        """The principal's userType, or the inner directory's answer."""
        if user_id.lower() == self._principal:
            return self._facts.user_type
        return self._inner.user_type_of(user_id)
