"""Replay's equivalence classes: one row per class of sign-ins the engine judges alike.

Users and IPs are mapped to small class numbers in Python, bound into one DuckDB query that
groups the sign-ins by class and every other field the engine reads (see `replay`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson

from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access.sign_in_context import MFA_FAILURE_CODES, MFA_SATISFIED_DETAIL
from idpilot.knowledge import primary_authentication_failure_codes
from idpilot.store import Store
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


def _own_classes(store: Store) -> tuple[list[str], list[int]]:
    """Each signing-in user in a class of its own."""
    ids = signing_in_user_ids(store)
    return ids, list(range(len(ids)))


def _user_classes(store: Store, tenant: TenantPolicies) -> tuple[list[str], list[int]]:
    """Each signing-in user's class: what of the user any policy can see."""
    users, groups, roles = tenant.referenced_principals()
    directory = tenant.directory
    classes: dict[tuple, int] = {}
    ids: list[str] = []
    numbers: list[int] = []
    for user_id in signing_in_user_ids(store):
        lowered = user_id.lower()
        profile = (
            lowered if lowered in users else None,
            frozenset(g.lower() for g in directory.group_ids_of(user_id)) & groups,
            frozenset(r.lower() for r in directory.role_template_ids_of(user_id)) & roles,
            directory.user_type_of(user_id),
        )
        ids.append(user_id)
        numbers.append(classes.setdefault(profile, len(classes)))
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
