"""The tenant-wide settings the posture checks read, typed, and what the snapshot lacks.

A check that needs a collection the snapshot did not bring answers `unknown` naming it
(`TenantSettings.require`); licences from `subscribedSkus` decide whether a P2-only control
applies at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from idpilot.model.base import GraphRecord
from idpilot.model.collections import Collection
from idpilot.model.licensing import SubscribedSku
from idpilot.model.records import Record
from idpilot.model.registry import parse_record
from idpilot.posture.base import Outcome, not_applicable, unknown

SETTINGS_COLLECTIONS = [
    Collection.authorization_policy,
    Collection.authentication_methods_policy,
    Collection.security_defaults_policy,
    Collection.admin_consent_request_policy,
    Collection.permission_grant_policies,
    Collection.group_settings,
    Collection.cross_tenant_access_default,
    Collection.cross_tenant_access_partners,
    Collection.role_management_policies,
    Collection.role_management_policy_assignments,
    Collection.authentication_strength_policies,
    Collection.default_app_management_policy,
    Collection.subscribed_skus,
    Collection.role_assignment_schedule_instances,
    Collection.role_eligibility_schedule_instances,
    Collection.administrative_units,
    Collection.domains,
]
"""The collections loaded for the settings checks."""

ENTRA_ID_P2_PLANS = frozenset({"AAD_PREMIUM_P2"})
"""Service plans that bring Entra ID P2 (PIM, Identity Protection), as `servicePlanName`."""
_ACTIVE_SKU = frozenset({"Enabled", "Warning"})
_PROVISIONED = "Success"


@dataclass
class TenantSettings:
    """The settings records by collection, and which collections the snapshot brought."""

    present: set[Collection] = field(default_factory=set)
    records: dict[Collection, list[GraphRecord]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    """Collections the sync could not read, with Graph's reason (a 403 names the permission)."""

    @classmethod
    def from_objects(cls, objects: dict[Collection, list[dict[str, Any]]]) -> TenantSettings:
        """Typed settings from published objects (every given collection counts as present)."""
        return cls(
            present=set(objects),
            records={c: [parse_record(c, o) for o in items] for c, items in objects.items()},
        )

    def require(self, *collections: Collection) -> Outcome | None:
        """`unknown` naming the collections the snapshot lacks, or None when all are there."""
        missing = [c.value for c in collections if c not in self.present]
        if not missing:
            return None
        return unknown([self.named(m) for m in missing])

    def named(self, collection: str) -> str:
        """A missing collection as `missing` names it: with Graph's reason when the sync was
        refused it (the permission, the licence)."""
        why = self.unavailable.get(collection)
        return f"{collection}: {why}" if why else collection

    def all(self, collection: Collection) -> list[Any]:
        """Every record of a collection (typed)."""
        return list(self.records.get(collection, []))

    def one(self, collection: Collection) -> Any | None:
        """The record of a singleton setting, or None when the snapshot has none."""
        found = self.records.get(collection, [])
        return found[0] if found else None

    def singleton(self, collection: Collection) -> Any:
        """The singleton setting's record, or the `unknown` outcome naming what the snapshot
        lacks (the collection, or its record)."""
        lacking = self.require(collection)
        if lacking is not None:
            return lacking
        found = self.one(collection)
        return found if found is not None else unknown([collection.value])

    def has_service_plan(self, plans: frozenset[str]) -> bool:
        """True when an active SKU provisions one of `plans` (by `servicePlanName`)."""
        for sku in self.all(Collection.subscribed_skus):
            assert isinstance(sku, SubscribedSku)
            if sku.capability_status not in _ACTIVE_SKU:
                continue
            for plan in sku.service_plans or []:
                if plan.service_plan_name in plans and plan.provisioning_status == _PROVISIONED:
                    return True
        return False

    def require_p2(self, *collections: Collection) -> Outcome | None:
        """`unknown` when the licences or `collections` are missing, `notApplicable` without an
        Entra ID P2 licence, else None (the check applies)."""
        lacking = self.require(Collection.subscribed_skus, *collections)
        return lacking if lacking is not None else self.without_p2()

    def without_p2(self) -> Outcome | None:
        """`notApplicable` when the snapshot's licences show no Entra ID P2; None when they do
        or when the snapshot has no licence data (the caller decides as it did without)."""
        if Collection.subscribed_skus not in self.present:
            return None
        if self.has_service_plan(ENTRA_ID_P2_PLANS):
            return None
        return not_applicable("no Entra ID P2 licence in subscribedSkus")


def setting_record(
    collection: Collection,
    record: GraphRecord,
    detail: str = "",
    fields: dict[str, Any] | None = None,
    label: str | None = None,
) -> Record:
    """The Record a settings check cites: the setting object, and the values it judged."""
    record_id = getattr(record, "id", None) or collection.value
    name = label or getattr(record, "display_name", None) or collection.value
    return Record(
        kind=collection.kind, id=record_id, label=name, detail=detail, fields=fields or {}
    )


SettingsCheck = Callable[[TenantSettings], Outcome]
