"""Every EIDSCA check (`eidsca.csv`, the published table) judged over the tenant's settings.

A row's value is read from its settings object by path; a directory setting (`groupSettings`)
the tenant never created holds the template's published default. The verdict compares the
value with the published recommendation: `passed` or `failed`; `notApplicable` when the row's
skip condition holds (the method is off, no P1...) or EIDSCA publishes no recommended value;
`unknown` naming the collection or property the snapshot lacks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.posture.base import (
    Baseline,
    CheckResult,
    CheckStatus,
    Outcome,
    failed_if,
    not_applicable,
    passed,
    unknown,
)
from idpilot.posture.tenant_settings import TenantSettings, setting_record
from idpilot.security.severity import Severity

METHODS = Collection.authentication_methods_policy
GROUP_SETTINGS = Collection.group_settings
SINGLETON_SOURCES = {
    "authorizationPolicy": Collection.authorization_policy,
    "authenticationMethodsPolicy": Collection.authentication_methods_policy,
    "adminConsentRequestPolicy": Collection.admin_consent_request_policy,
}
ENTRA_ID_P1_PLANS = frozenset({"AAD_PREMIUM", "AAD_PREMIUM_P2"})
USER_CONSENT_PREFIX = "ManagePermissionGrantsForSelf"
MICROSOFT_CONSENT_PREFIX = "ManagePermissionGrantsForSelf.microsoft-"
PROPOSAL_SOURCES = {
    "authorizationPolicy": "policies/authorizationPolicy",
    "adminConsentRequestPolicy": "policies/adminConsentRequestPolicy",
    "authenticationMethodsPolicy": "policies/authenticationMethodsPolicy",
}
GRAPH_BETA = "https://graph.microsoft.com/beta/"
METHOD_CONFIGURATIONS = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations"


@dataclass(frozen=True)
class EidscaRow:
    """One published EIDSCA check: where its setting lives and what EIDSCA recommends."""

    id: str
    title: str
    source: str
    path: str
    recommended: str
    default: str
    severity: str
    skip: str

    @property
    def control(self) -> str:
        """The control id, `EIDSCA.AP01`."""
        return f"EIDSCA.{self.id}"


@cache
def eidsca_rows() -> tuple[EidscaRow, ...]:
    """The published table, in its order."""
    text = (resources.files("idpilot.posture") / "eidsca.csv").read_text(encoding="utf-8")
    return tuple(EidscaRow(**row) for row in csv.DictReader(text.splitlines()))


_MISSING = object()


def _at(obj: Any, path: str) -> Any:
    """The value at a dotted path; through a list, the values of its items."""
    for key in path.split("."):
        if isinstance(obj, list):
            obj = [item.get(key, _MISSING) for item in obj if isinstance(item, dict)]
            obj = [v for v in obj if v is not _MISSING]
        elif isinstance(obj, dict) and key in obj:
            obj = obj[key]
        else:
            return _MISSING
    return obj


def _raw(record: Any) -> dict[str, Any]:
    return record.model_dump(by_alias=True, exclude_unset=True, mode="json")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class _Found:
    """A row's source object and the value at its path."""

    collection: Collection
    record: Any
    value: Any
    defaulted: bool = False


def _method(settings: TenantSettings, method_id: str) -> Any | Outcome:
    policy = settings.singleton(METHODS)
    if isinstance(policy, Outcome):
        return policy
    method = policy.method(method_id)
    if method is None:
        return unknown([f"{METHODS.value}.authenticationMethodConfigurations[{method_id}]"])
    return method


def _find(row: EidscaRow, settings: TenantSettings) -> _Found | Outcome:
    """The object and value a row judges, or the outcome saying what is missing."""
    if row.source.startswith("method:"):
        method = _method(settings, row.source.split(":", 1)[1])
        if isinstance(method, Outcome):
            return method
        return _Found(METHODS, method, _at(_raw(method), row.path))
    if row.source == "setting":
        return _setting(row, settings)
    collection = SINGLETON_SOURCES.get(row.source)
    if collection is None:
        return unknown([row.source])
    record = settings.singleton(collection)
    if isinstance(record, Outcome):
        return record
    raw = _raw(record)
    value = _at(raw, row.path)
    if row.id == "AP08" and value is _MISSING:  # v1.0 names the beta property differently
        value = _at(raw, "defaultUserRolePermissions.permissionGrantPoliciesAssigned")
    return _Found(collection, record, value)


def _setting(row: EidscaRow, settings: TenantSettings) -> _Found | Outcome:
    lacking = settings.require(GROUP_SETTINGS)
    if lacking is not None:
        return lacking
    for record in settings.all(GROUP_SETTINGS):
        value = record.value(row.path)
        if value is not None:
            return _Found(GROUP_SETTINGS, record, value)
    if row.default:
        return _Found(GROUP_SETTINGS, None, row.default, defaulted=True)
    return _Found(GROUP_SETTINGS, None, _MISSING)


def _skipped(row: EidscaRow, settings: TenantSettings, found: _Found) -> Outcome | None:
    """`notApplicable` when the row's published skip condition holds."""
    if row.skip in ("method", "AF04"):
        state = str(getattr(found.record, "state", "") or "")
        if state != "enabled":
            return not_applicable(f"{row.source.split(':', 1)[1]} is not enabled")
        if row.skip == "AF04" and _at(_raw(found.record), "keyRestrictions.isEnforced") is not True:
            return not_applicable("FIDO2 key restrictions are not enforced (EIDSCA.AF04)")
    if row.skip == "consentWorkflow" and getattr(found.record, "is_enabled", None) is not True:
        return not_applicable("the admin consent workflow is off (EIDSCA.CR01)")
    licences_known = Collection.subscribed_skus in settings.present
    if row.skip == "p1" and licences_known and not settings.has_service_plan(ENTRA_ID_P1_PLANS):
        return not_applicable("no Entra ID P1 or P2 licence in subscribedSkus")
    if row.skip == "present" and found.value is _MISSING:
        return not_applicable(f"the tenant's {row.source} has no {row.path}")
    if row.skip == "userConsent":
        assigned = found.value if isinstance(found.value, list) else []
        if not any(str(p).startswith(MICROSOFT_CONSENT_PREFIX) for p in assigned):
            return not_applicable("no Microsoft user consent policy is assigned")
    return None


def _compared(row: EidscaRow, value: Any) -> tuple[bool, str]:
    """Whether the value meets the recommendation, and the value as said."""
    if row.id == "AP08":
        said = ", ".join(p for p in value if str(p).startswith(USER_CONSENT_PREFIX))
        return said == row.recommended, said
    if row.id in ("AF05", "AF06"):
        guids = _at(value, "aaGuids") if isinstance(value, dict) else value
        restricted = isinstance(guids, list) and bool(guids)
        if row.id == "AF06":
            restricted = restricted and _at(value, "enforcementType") in ("allow", "block")
        return _text(restricted) == row.recommended, _text(restricted)
    if row.id == "AS04":
        values = {_text(v) for v in (value if isinstance(value, list) else [value])}
        return values == {row.recommended}, ", ".join(sorted(values))
    said = _text(value)
    wanted = row.recommended
    if wanted.startswith("@("):
        options = [o.strip().strip("'\"") for o in wanted[2:-1].split(",")]
        return said.lower() in {o.lower() for o in options}, said
    if wanted[:2] in (">=", "<="):
        try:
            number, bound = int(said), int(wanted[2:])
        except ValueError:
            return False, said
        return (number >= bound if wanted.startswith(">=") else number <= bound), said
    return said.lower() == wanted.lower(), said


def judge(row: EidscaRow, settings: TenantSettings) -> Outcome:
    """One EIDSCA row's verdict over the tenant's settings."""
    found = _find(row, settings)
    if isinstance(found, Outcome):
        return found
    skipped = _skipped(row, settings, found)
    if skipped is not None:
        return skipped
    if found.value is _MISSING:
        return unknown([f"{found.collection.value}.{row.path}"])
    value = _raw(found.record) if row.id in ("AF05", "AF06") else found.value
    if row.id in ("AF05", "AF06"):
        value = _at(value, "keyRestrictions")
    if not row.recommended:
        return not_applicable(
            f"EIDSCA publishes no recommended value; the tenant has {_text(value)!r}"
        )
    met, said = _compared(row, value)
    detail = f"{row.path}: {said!r}" + (" (template default)" if found.defaulted else "")
    detail += f"; recommended {row.recommended}"
    record = _record(found, row, detail)
    if met:
        return passed(detail, [record])
    return failed_if([record], detail)


def _record(found: _Found, row: EidscaRow, detail: str) -> Record:
    if found.record is None:
        return Record(kind=found.collection.kind, id=f"{found.collection.value}:{row.path}",
                      label=row.path, detail=detail)  # fmt: skip
    label = row.source.split(":", 1)[1] + " method" if row.source.startswith("method:") else None
    return setting_record(found.collection, found.record, detail, {row.path: found.value}, label)


def proposal(row: EidscaRow) -> dict[str, Any] | None:
    """The PATCH request that would set a top-level (or default user role) property to the
    recommended value; None when one plain request would not do it. Never sent."""
    wanted = row.recommended
    if not wanted or wanted[:2] in (">=", "<=") or row.id in ("AP08", "AF05", "AF06", "AS04"):
        return None
    if wanted.startswith("@("):
        wanted = wanted[2:-1].split(",")[0].strip().strip("'\"")
    value: Any = {"true": True, "false": False}.get(wanted.lower(), wanted)
    keys = row.path.split(".")
    if len(keys) > 1 and keys[0] != "defaultUserRolePermissions":
        return None
    body: dict[str, Any] = {keys[-1]: value}
    for key in reversed(keys[:-1]):
        body = {key: body}
    if row.source.startswith("method:"):
        method = row.source.split(":", 1)[1]
        url = f"{GRAPH_BETA}{METHOD_CONFIGURATIONS}/{method}"
        body = {"@odata.type": f"#microsoft.graph.{method[0].lower()}{method[1:]}"
                "AuthenticationMethodConfiguration", **body}  # fmt: skip
    elif row.source in PROPOSAL_SOURCES:
        url = GRAPH_BETA + PROPOSAL_SOURCES[row.source]
    else:
        return None
    return {"method": "PATCH", "url": url, "body": body}


_SEVERITY = {s.value: s for s in Severity}


def eidsca_results(settings: TenantSettings) -> list[CheckResult]:
    """Every EIDSCA row judged, as posture results (area `eidsca`)."""
    results = []
    for row in eidsca_rows():
        outcome = judge(row, settings)
        recommended = row.recommended or "none published"
        results.append(
            CheckResult(
                id=row.control,
                title=row.title,
                area="eidsca",
                status=outcome.status,
                severity=_SEVERITY.get(row.severity.lower(), Severity.informational),
                baseline=Baseline.eidsca,
                control=f"{row.control} {row.path}: recommended {recommended}",
                fix=_fix_text(row),
                controls=[row.control],
                proposal=proposal(row) if outcome.status is CheckStatus.failed else None,
                summary=outcome.summary,
                affected=list(outcome.affected),
                affected_count=len(outcome.affected),
                evidence=list(outcome.evidence),
                missing=list(outcome.missing),
            )
        )
    return results


def _fix_text(row: EidscaRow) -> str:
    if not row.recommended:
        return f"Review {row.path} ({row.source}); EIDSCA publishes no recommended value."
    where = "directory setting" if row.source == "setting" else row.source
    return f"Set {row.path} ({where}) to {row.recommended} as EIDSCA recommends."
