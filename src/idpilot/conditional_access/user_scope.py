"""The users condition: users, groups, roles and guests, included and excluded."""

from __future__ import annotations

from dataclasses import dataclass, field

from idpilot.conditional_access.conditions import NO_MISSING, Check
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.policy import GuestOrExternalUserType, GuestsOrExternalUsers

GUESTS_OR_EXTERNAL_USERS = "guestsorexternalusers"
ENUMERATED_TENANTS = "enumerated"
GUEST_ACCOUNT_TYPES = frozenset(
    {GuestOrExternalUserType.internal_guest, GuestOrExternalUserType.b2b_collaboration_guest}
)


@dataclass(frozen=True, slots=True)
class ExternalUsers:
    """A compiled `includeGuestsOrExternalUsers` / `exclude...` object.

    Offline we only know the directory's userType. A Guest account is either an internal guest or
    a B2B collaboration guest; a Member is treated as internal (a B2B collaboration member cannot
    be told apart). Enumerated external tenants cannot be checked (home tenant unknown).
    """

    types: frozenset[str]
    enumerated_tenants: bool

    @classmethod
    def compile(cls, value: GuestsOrExternalUsers | None) -> ExternalUsers | None:
        """Compile the Graph object, or None when it is absent or targets nobody."""
        if value is None or not value.guest_or_external_user_types:
            return None
        tenants = value.external_tenants
        enumerated = bool(tenants and (tenants.membership_kind or "").lower() == ENUMERATED_TENANTS)
        return cls(frozenset(str(t) for t in value.guest_or_external_user_types), enumerated)

    def matches(self, facts: Facts) -> tuple[bool | None, str | None]:
        """Whether the user is one of these external user kinds, and the missing fact if unsure."""
        guest = facts.is_guest()
        if guest is None:
            return None, "user.userType"
        if not guest:
            return False, None
        covered = len(GUEST_ACCOUNT_TYPES & self.types)
        if covered == 0:
            return False, None
        if covered < len(GUEST_ACCOUNT_TYPES):
            return None, "user.guestOrExternalUserType"
        if self.enumerated_tenants:
            return None, "user.homeTenantId"
        return True, None


@dataclass(frozen=True, slots=True)
class UsersCondition:
    """Users, groups, roles and external users, included and excluded."""

    include_all: bool
    include_guests: bool
    include_users: frozenset[str]
    include_groups: frozenset[str]
    include_roles: frozenset[str]
    include_external: ExternalUsers | None
    exclude_guests: bool
    exclude_users: frozenset[str]
    exclude_groups: frozenset[str]
    exclude_roles: frozenset[str]
    exclude_external: ExternalUsers | None
    name: str = "users"

    has_exclusions: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        """Remember whether any exclusion is configured, so checks can skip directory look-ups."""
        configured = (
            self.exclude_guests
            or self.exclude_users
            or self.exclude_groups
            or self.exclude_roles
            or self.exclude_external
        )
        object.__setattr__(self, "has_exclusions", bool(configured))

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check whether the signing-in user is in scope."""
        included, why, missing = self._included(facts, explain)
        if included is False:
            return False, why, NO_MISSING
        if included and not self.has_exclusions:
            return True, why, NO_MISSING
        excluded, why_excluded, missing_excluded = self._excluded(facts, explain)
        if excluded is True:
            return False, why_excluded, NO_MISSING
        if included and excluded is False:
            return True, why, NO_MISSING
        if explain and excluded is None:
            why = f"{why}; cannot tell whether the user is excluded ({missing_excluded})"
        return None, why, tuple(m for m in (missing, missing_excluded) if m)

    def _included(self, facts: Facts, explain: bool) -> tuple[bool | None, str, str | None]:
        uid = facts.user_id
        if self.include_all:
            return True, "all users are included" if explain else "", None
        if uid in self.include_users:
            return True, f"user {{user:{uid}}} is included by id" if explain else "", None
        if self.include_groups:
            hit = self.include_groups & facts.groups()
            if hit:
                return (
                    True,
                    f"user is a member of included group {{group:{min(hit)}}}" if explain else "",
                    None,
                )
        if self.include_roles:
            hit = self.include_roles & facts.roles()
            if hit:
                return (
                    True,
                    f"user holds included role {{directoryRole:{min(hit)}}}" if explain else "",
                    None,
                )
        unknown: str | None = None
        if self.include_guests:
            guest = facts.is_guest()
            if guest:
                return (
                    True,
                    "user is a guest (GuestsOrExternalUsers included)" if explain else "",
                    None,
                )
            if guest is None:
                unknown = "user.userType"
        if self.include_external is not None:
            matched, missing = self.include_external.matches(facts)
            if matched:
                return True, "user is an included guest or external user" if explain else "", None
            unknown = unknown or missing
        if unknown:
            why = (
                f"cannot tell whether the user is an included guest ({unknown})" if explain else ""
            )
            return None, why, unknown
        return (
            False,
            "user is not among the included users, groups or roles" if explain else "",
            None,
        )

    def _excluded(self, facts: Facts, explain: bool) -> tuple[bool | None, str, str | None]:
        uid = facts.user_id
        if uid in self.exclude_users:
            return True, f"user {{user:{uid}}} is excluded by id" if explain else "", None
        if self.exclude_groups:
            hit = self.exclude_groups & facts.groups()
            if hit:
                return (
                    True,
                    f"user is a member of excluded group {{group:{min(hit)}}}" if explain else "",
                    None,
                )
        if self.exclude_roles:
            hit = self.exclude_roles & facts.roles()
            if hit:
                return (
                    True,
                    f"user holds excluded role {{directoryRole:{min(hit)}}}" if explain else "",
                    None,
                )
        unknown: str | None = None
        if self.exclude_guests:
            guest = facts.is_guest()
            if guest:
                return (
                    True,
                    "user is a guest (GuestsOrExternalUsers excluded)" if explain else "",
                    None,
                )
            if guest is None:
                unknown = "user.userType"
        if self.exclude_external is not None:
            matched, missing = self.exclude_external.matches(facts)
            if matched:
                return True, "user is an excluded guest or external user" if explain else "", None
            unknown = unknown or missing
        return (None, "", unknown) if unknown else (False, "", None)
