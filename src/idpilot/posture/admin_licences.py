"""Administrators' licences (CIS Microsoft 365 Foundations v5.0.0, 1.1.4): an account that
administers the tenant should carry no mailbox, Teams or Office apps to be phished through.

As CIS audits it: every user holding a directory role whose name has "Administrator" in it, or
Global Reader, holds no licence or only Microsoft Entra ID P1 or P2.
"""

from __future__ import annotations

from typing import Any

from idpilot.knowledge.licences import licence_name
from idpilot.knowledge.privileged_roles import privileged_role
from idpilot.model.collections import Collection
from idpilot.model.licensing import SubscribedSku
from idpilot.model.records import Record
from idpilot.posture.base import (
    Baseline,
    Outcome,
    check,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

ENTRA_ID_ONLY_SKUS: dict[str, str] = {
    "078d2b04-f1bd-4111-bbd4-b4b1b354cef4": "AAD_PREMIUM",
    "84a661c4-e949-4bd2-a560-ed7766fcaf2b": "AAD_PREMIUM_P2",
}
"""The licences CIS allows an administrator (skuId -> skuPartNumber): Entra ID P1 and P2."""

ADMINISTRATIVE_ROLE_WORD = "Administrator"
READ_ONLY_ADMINISTRATIVE_ROLE = "Global Reader"
"""CIS 1.1.4's audit: roles named "...Administrator", and Global Reader."""


def is_administrative_role(name: str) -> bool:
    """Whether a directory role counts as administrative for CIS 1.1.4."""
    return ADMINISTRATIVE_ROLE_WORD in name or name == READ_ONLY_ADMINISTRATIVE_ROLE


def _role_name(holder: dict[str, Any]) -> str | None:
    """The role's display name: the snapshot's definition, else idpilot's list of built-in
    roles; None when neither names it."""
    name = holder["role_name"]
    if name and name != holder["template_id"]:
        return name
    known = privileged_role(holder["template_id"])
    return known.display_name if known else None


def _part_numbers(data: PostureData) -> dict[str, str]:
    """skuId (lower case) -> skuPartNumber, from the tenant's subscribed SKUs."""
    parts = dict(ENTRA_ID_ONLY_SKUS)
    for sku in data.settings.all(Collection.subscribed_skus):
        assert isinstance(sku, SubscribedSku)
        if sku.sku_id and sku.sku_part_number:
            parts[sku.sku_id.lower()] = sku.sku_part_number
    return parts


@check(
    "IDP-ADM-001",
    "Administrators hold no licence with productivity applications",
    Severity.medium,
    Baseline.cis,
    cis_control("1.1.4"),
    "Give administration its own accounts licensed with Microsoft Entra ID P1 or P2 only (or "
    "none); keep mail, Teams and Office apps on the person's everyday account.",
    controls=cis_ids("1.1.4"),
)
def admins_with_application_licences(data: PostureData) -> Outcome:
    """Each administrator's licences by skuPartNumber; one idpilot cannot name is undecided."""
    admins: dict[str, set[str]] = {}
    unnamed_roles: set[str] = set()
    for holder in data.directory_role_holders:
        uid = holder["user_id"]
        if uid not in data.users:
            continue
        name = _role_name(holder)
        if name is None:
            unnamed_roles.add(holder["template_id"])
        elif is_administrative_role(name):
            admins.setdefault(uid, set()).add(name)
    if not admins and not unnamed_roles:
        return not_applicable("no user holds an administrative role")
    parts = _part_numbers(data)
    affected: list[Record] = []
    unnamed_skus: set[str] = set()
    for uid, roles in sorted(admins.items()):
        extra = []
        for licence in data.users[uid]["assignedLicenses"]:
            sku = str(licence.get("skuId") or "").lower()
            part = parts.get(sku) or licence_name(sku)
            if part is None:
                unnamed_skus.add(sku)
            elif part not in ENTRA_ID_ONLY_SKUS.values():
                extra.append(part)
        if extra:
            detail = f"{', '.join(sorted(roles))}; licensed {', '.join(sorted(extra))}"
            affected.append(data.user_affected(uid, detail))
    said = f"{len(admins)} administrators"
    if affected:
        return failed_if(affected, said)
    missing = [f"roleDefinitions (role {t})" for t in sorted(unnamed_roles)]
    missing += [
        f"{data.settings.named(Collection.subscribed_skus.value)} (skuId {s})"
        for s in sorted(unnamed_skus)
    ]
    if missing:
        return unknown(missing)
    return passed(said, [data.user_affected(uid, "no application licence") for uid in admins])
