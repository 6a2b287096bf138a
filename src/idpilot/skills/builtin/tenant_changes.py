"""Skill `tenant_changes`: what changed in the directory between two versions of the store.

Read from the difference between the versions, not from the audit log, so it shows changes no
audit event in the store shows any more (logs are kept 7 or 30 days) and deleted objects.
Each change cites the object and the two versions it is read from.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "tenant_changes"
MAX_SHOWN = 40
VERSION_KIND = "storeVersion"


class TenantChangesInput(BaseModel):
    """Since when (default: the two newest versions)."""

    window: TimeWindow | None = slot(
        Slot.time_window, "Compare the tenant now with the tenant at its start.", default=None
    )


class VersionFact(SkillFacts):
    """A version of the store: its number, the moment it shows, what was ingested."""

    version: int
    as_of: datetime
    source: str


class PropertyFact(SkillFacts):
    """A property before and after."""

    path: str
    before: str | None
    after: str | None


class ElementFact(SkillFacts):
    """A member, owner or credential added or removed."""

    path: str
    added: bool
    id: str
    label: str


class ChangeFact(SkillFacts):
    """One directory object created, changed or deleted between the versions."""

    collection: str
    kind: str
    id: str
    label: str
    change: str
    audited: bool
    properties: list[PropertyFact]
    elements: list[ElementFact]


class TenantChangesFacts(SkillFacts):
    """The difference between two versions: counts and the changes, most asked-about first."""

    window: str
    reason: str | None = None
    """Why there is nothing to compare (a store of one version), when so."""
    before: VersionFact | None = None
    after: VersionFact | None = None
    starts_later: bool = False
    created: int = 0
    changed: int = 0
    deleted: int = 0
    unaudited: int = 0
    total: int = 0
    changes: list[ChangeFact] = Field(default_factory=list)


def tenant_changes(store: Store, params: TenantChangesInput) -> SkillResult:
    """List directory objects created, changed or deleted between two versions of the store."""
    from idpilot.history.compare import HistoryError, tenant_diff

    result = SkillResult(skill=NAME)
    phrase = params.window.phrase if params.window else ""
    since = None
    try:
        if params.window is not None:
            newest = tenant_diff_anchor(store)
            since = newest - params.window.start if newest else None
        diff = tenant_diff(store, since=since)
    except HistoryError as error:  # one version: said in the answer, as "no change" would be
        result.facts = TenantChangesFacts(window=phrase, reason=str(error))
        return result
    versions = {}
    for ref in (diff.before, diff.after):
        versions[ref.version] = result.add_evidence(
            Record(
                kind=VERSION_KIND,
                id=str(ref.version),
                label=f"store version {ref.version}",
                detail=f"{ref.kind} of {ref.source}",
                fields={"asOf": ref.as_of.isoformat(), "source": ref.source, "kind": ref.kind},
            )
        )
    shown = diff.changes[:MAX_SHOWN]
    for change in shown:
        said = [f"{p.path}: {p.before} -> {p.after}" for p in change.properties]
        said += [
            f"{e.label} ({e.id}) {'added to' if e.added else 'removed from'} {e.path}"
            for e in change.elements
        ]
        result.add_evidence(
            Record(
                kind=change.kind,
                id=change.id,
                label=f"{change.kind} {change.label}",
                detail=f"{change.change} between versions {diff.before.version} and "
                f"{diff.after.version}",
                fields={"displayName": change.label, "change": change.change, "what": said},
            )
        )
    result.facts = TenantChangesFacts(
        window=phrase,
        before=VersionFact(
            version=diff.before.version, as_of=diff.before.as_of, source=diff.before.source
        ),
        after=VersionFact(
            version=diff.after.version, as_of=diff.after.as_of, source=diff.after.source
        ),
        starts_later=diff.starts_later,
        created=diff.count("created"),
        changed=diff.count("changed"),
        deleted=diff.count("deleted"),
        unaudited=sum(1 for c in diff.changes if not c.audited),
        total=len(diff.changes),
        changes=[
            ChangeFact(
                collection=c.collection,
                kind=c.kind,
                id=c.id,
                label=c.label,
                change=c.change.value,
                audited=c.audited,
                properties=[PropertyFact(**p.model_dump()) for p in c.properties],
                elements=[ElementFact(**e.model_dump()) for e in c.elements],
            )
            for c in shown
        ],
    )
    result.followups = ["Who made these changes, according to the audit log?"]
    return result


def tenant_diff_anchor(store: Store) -> datetime | None:
    """The moment the newest version shows the tenant at (what "since last week" counts from)."""
    from idpilot.store.history import list_versions

    versions = list_versions(store)
    return versions[-1].as_of if versions else None


def register(registry: SkillRegistry) -> None:
    """Register `tenant_changes`."""
    registry.add(
        define_skill(
            tenant_changes,
            name=NAME,
            facts=TenantChangesFacts,
            keywords={
                "what changed since": 3.0,
                "changed since last": 3.0,
                "difference between": 2.5,
                "since the last snapshot": 4.0,
                "since the last ingest": 4.0,
                "compared to last week": 3.5,
                "deleted since": 3.0,
                "versions": 2.0,
                "diff": 2.5,
            },
        )
    )
