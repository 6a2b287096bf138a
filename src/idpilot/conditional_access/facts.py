"""Per-sign-in facts shared by every policy check, fetched from the directory at most once."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from idpilot.conditional_access.context import Directory, SignInContext
from idpilot.conditional_access.device_filter import FactValue, device_facts

GUEST_USER_TYPE = "guest"


class Facts:
    """One sign-in's context plus lazily resolved directory and network facts."""

    __slots__ = (
        "_device",
        "_groups",
        "_ip",
        "_roles",
        "_user_type",
        "_user_type_known",
        "context",
        "directory",
        "location_cache",
        "user_id",
    )

    def __init__(self, context: SignInContext, directory: Directory) -> None:
        self.context = context
        self.directory = directory
        self.user_id = context.user_id.lower()
        self._groups: frozenset[str] | None = None
        self._roles: frozenset[str] | None = None
        self._user_type: str | None = None
        self._user_type_known = False
        self._ip: IpFact | None = None
        self._device: dict[str, FactValue] | None = None
        self.location_cache: dict[str, bool | None] = {}

    def groups(self) -> frozenset[str]:
        """Lower-cased ids of every group the user belongs to, transitively."""
        if self._groups is None:
            groups = self.directory.group_ids_of(self.context.user_id)
            self._groups = frozenset(group.lower() for group in groups)
        return self._groups

    def roles(self) -> frozenset[str]:
        """Lower-cased directory role template ids the user holds."""
        if self._roles is None:
            roles = self.directory.role_template_ids_of(self.context.user_id)
            self._roles = frozenset(role.lower() for role in roles)
        return self._roles

    def is_guest(self) -> bool | None:
        """Whether the directory says the user is a Guest; None when the user type is unknown."""
        if not self._user_type_known:
            user_type = self.directory.user_type_of(self.context.user_id)
            self._user_type = user_type.lower() if user_type else None
            self._user_type_known = True
        if self._user_type is None:
            return None
        return self._user_type == GUEST_USER_TYPE

    def ip(self) -> IpFact:
        """The sign-in's IP address as an integer with its version (None when unknown/invalid)."""
        if self._ip is None:
            self._ip = IpFact.parse(self.context.ip_address)
        return self._ip

    def device(self) -> dict[str, FactValue]:
        """Device filter facts keyed by lower-cased property name."""
        if self._device is None:
            self._device = device_facts(self.context.device)
        return self._device


@dataclass(frozen=True, slots=True)
class IpFact:
    """An IP address reduced to what range checks need."""

    version: int | None = None
    value: int = 0
    text: str | None = field(default=None)

    @classmethod
    def parse(cls, text: str | None) -> IpFact:
        """Parse an IPv4 or IPv6 address; an unparsable or missing address gives version None."""
        if not text:
            return cls()
        try:
            address = ipaddress.ip_address(text.strip())
        except ValueError:
            return cls(text=text)
        return cls(address.version, int(address), text)
