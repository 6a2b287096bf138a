"""Replay's equivalence classes: one row per class of sign-ins the engine judges alike.

Users and IPs are mapped to small class numbers in Python, bound into one DuckDB query that
groups the sign-ins by class and every other field the engine reads (see `replay`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from datetime import datetime
from operator import itemgetter
from typing import Any

import orjson

from idpilot.ca_analysis.tenant_policies import Principals, TenantPolicies
from idpilot.conditional_access.sign_in_context import MFA_FAILURE_CODES, MFA_SATISFIED_DETAIL
from idpilot.knowledge import primary_authentication_failure_codes
from idpilot.store import Store, version_memo
from idpilot.store.ca_directory import USERS_ASKED_ONE_BY_ONE
from idpilot.store.queries.conditional_access import (
    replay_class_rows,
    signing_in_ips,
    signing_in_user_ids,
)

SAMPLE_IDS = 20
"""Sign-in ids kept per disagreeing class: enough to open a few, bounded on a million rows."""


def replay_classes(
    store: Store, tenant: TenantPolicies, since: datetime | None, *, per_user: bool = False
) -> Iterator[dict[str, Any]]:
    """One row per equivalence class of replayable sign-ins (see `replay`'s module docstring).

    With `per_user`, every user is a class of its own, so each row names its one user (a
    draft's impact is said user by user).
    """
    users = _own_classes(store) if per_user else _user_classes(store, tenant)
    yield from replay_class_rows(
        store,
        users=users,
        ips=_ip_classes(store, tenant),
        since=since,
        device_ids=tenant.uses_device_filters(),
        sample=SAMPLE_IDS,
        mfa_failures=sorted(MFA_FAILURE_CODES),
        mfa_satisfied=MFA_SATISFIED_DETAIL,
        primary_failures=sorted(primary_authentication_failure_codes()),
    )


def user_class_rows(store: Store, tenant: TenantPolicies) -> Iterable[dict[str, Any]]:
    """The per-user class rows (`replay_classes(..., per_user=True)`) without the recorded
    results (a draft is not compared with them).

    They depend on the snapshot and the named locations, not on the draft replayed over them:
    a read-only store's version keeps them (`version_memo`) when there are at most
    `KEPT_USER_CLASS_ROWS`, so only its first draft reads the sign-ins.
    """
    locations = tuple(sorted((loc.id, tuple(loc.ranges)) for loc in tenant.ip_locations()))
    key = ("user_class_rows", tenant.uses_device_filters(), locations)
    found = version_memo.kept(store, key)
    if found is not None:
        return found
    rows = replay_classes(store, tenant, None, per_user=True)
    return _keeping(store, key, _without_recorded(rows))


KEPT_USER_CLASS_ROWS = 20_000
"""Per-user class rows a store version keeps (about 2 KB each: at most ~40 MB); a tenant with
more reads them again for each draft."""


def _without_recorded(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        del row["recorded"]
        yield row


def _keeping(store: Store, key: tuple, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """`rows`, kept under `key` for the store's version once all are read, if few enough."""
    kept: list[dict[str, Any]] | None = []
    for row in rows:
        if kept is not None:
            kept.append(row)
            if len(kept) > KEPT_USER_CLASS_ROWS:
                kept = None
        yield row
    if kept is not None:
        version_memo.keep(store, key, tuple(kept))


def _own_classes(store: Store) -> tuple[list[str], list[int]]:
    """Each signing-in user in a class of its own."""
    ids = signing_in_user_ids(store)
    return ids, list(range(len(ids)))


class UserProfiles:
    """What of a user some policies can see: the user's id when a policy names it, the groups
    and roles the policies name, and the userType. Users with one profile are judged alike by
    those policies (see `replay`)."""

    def __init__(self, tenant: TenantPolicies, principals: Principals) -> None:
        self._directory = tenant.directory
        self._users, self._groups, self._roles = principals
        self._found: dict[str, tuple] = {}

    def of(self, user_id: str) -> tuple:
        """The user's profile (computed once per user)."""
        profile = self._found.get(user_id)
        if profile is None:
            directory = self._directory
            lowered = user_id.lower()
            profile = self._found[user_id] = (
                lowered if lowered in self._users else None,
                frozenset(g.lower() for g in directory.group_ids_of(user_id)) & self._groups,
                frozenset(r.lower() for r in directory.role_template_ids_of(user_id)) & self._roles,
                directory.user_type_of(user_id),
            )
        return profile


def _user_classes(store: Store, tenant: TenantPolicies) -> tuple[list[str], list[int]]:
    """Each signing-in user's class: what of the user any policy can see."""
    profiles = UserProfiles(tenant, tenant.referenced_principals())
    classes: dict[tuple, int] = {}
    ids = signing_in_user_ids(store)
    if len(ids) > USERS_ASKED_ONE_BY_ONE:
        tenant.directory.load()  # every user's facts are read: one bulk read, not a query each
    numbers = [classes.setdefault(profiles.of(user_id), len(classes)) for user_id in ids]
    return ids, numbers


def _ip_classes(store: Store, tenant: TenantPolicies) -> tuple[list[str], list[int]]:
    """Each IP's class: the IP named locations containing it (or unparsable)."""
    ranges = [
        (location.id, version, first, last)
        for location in tenant.ip_locations()
        for version, first, last in location.ranges
    ]
    classes: dict[tuple, int] = {}
    ips: list[str] = []
    numbers: list[int] = []
    for ip in signing_in_ips(store):
        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError:
            profile: tuple = ("invalid",)
        else:
            value, version = int(address), address.version
            profile = tuple(
                sorted(
                    {
                        loc
                        for loc, range_version, first, last in ranges
                        if range_version == version and first <= value <= last
                    }
                )
            )
        ips.append(ip)
        numbers.append(classes.setdefault(profile, len(classes)))
    return ips, numbers


_KEY_FIELDS = (
    "appId", "resourceId", "clientAppUsed", "os", "compliant", "managed", "trust_type", "device_id",
    "device_name", "country", "sign_in_risk", "user_risk", "transfer", "protocol",
    "error_class", "requirement", "lists_steps", "mfa_method", "mfa_step",
)  # fmt: skip


def evaluation_key(row: dict[str, Any]) -> tuple:
    """What the engine's answer depends on, for one class row (the recorded results aside)."""
    contexts = row["auth_contexts"]
    return (
        row["user_id"].lower() if row["user_id"] else None,
        row["ip"],
        *(row[name] for name in _KEY_FIELDS),
        contexts,
    )


_ALIKE_FIELDS = itemgetter("ip_class", *_KEY_FIELDS, "auth_contexts")


def alike_key(row: dict[str, Any], user_profile: tuple | None) -> tuple:
    """What the engine's answer depends on, for one class row, with the user reduced to the
    profile the policies see and the IP to its class: rows with one key are judged alike."""
    return (user_profile, _ALIKE_FIELDS(row))


def sign_in_of(row: dict[str, Any]) -> dict[str, Any]:
    """A minimal Graph signIn carrying the class's facts, for `context_from_sign_in`."""
    contexts = row["auth_contexts"]
    if isinstance(contexts, str):
        contexts = orjson.loads(contexts)
    return {
        "userId": row["user_id"],
        "appId": row["appId"],
        "resourceId": row["resourceId"],
        "clientAppUsed": row["clientAppUsed"],
        "ipAddress": row["ip"],
        "location": {"countryOrRegion": row["country"]},
        "deviceDetail": {
            "operatingSystem": row["os"],
            "isCompliant": row["compliant"],
            "isManaged": row["managed"],
            "trustType": row["trust_type"],
            "deviceId": row["device_id"],
            "displayName": row["device_name"],
        },
        "riskLevelDuringSignIn": row["sign_in_risk"],
        "userRiskLevel": row["user_risk"],
        "originalTransferMethod": row["transfer"],
        "authenticationProtocol": row["protocol"],
        "authenticationContextClassReferences": contexts,
        "status": {"errorCode": row["error_class"]},
        "authenticationRequirement": row["requirement"],
        "mfaDetail": {"authMethod": "recorded"} if row["mfa_method"] else None,
        "authenticationDetails": _steps(row),
    }


def _steps(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Authentication steps standing for what the class's record says of them."""
    if row["mfa_step"]:
        return [{"succeeded": True, "authenticationStepRequirement": "mfa"}]
    if row["lists_steps"]:
        return [{"succeeded": True, "authenticationStepRequirement": "Primary authentication"}]
    return []
