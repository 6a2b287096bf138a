"""A user's account changes and a group's owner removals, read from the audit log through the
audit-object index: the records that explain a sign-in failure or a current state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from idpilot.store.audit import AuditEvent, events_about
from idpilot.store.audit_activities import UserChange, account_enabled_value, user_change
from idpilot.store.database import Store


@dataclass
class UserChangeEvent:
    """An audit event that changed a user account, with the kind of change it made."""

    event: AuditEvent
    kind: UserChange


def user_change_of(event: AuditEvent, user_id: str) -> UserChange | None:
    """The kind of change an event made to this user (a target of it), or None."""
    wanted = user_id.lower()
    on_user = [t for t in event.targets if (t.id or "").lower() == wanted]
    if not on_user:
        return None
    enabled = account_enabled_value([(c.name, c.new) for t in on_user for c in t.changes])
    return user_change(event.activity, enabled)


def user_changes(
    store: Store,
    user_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
    kinds: frozenset[UserChange] | None = None,
) -> list[UserChangeEvent]:
    """Audit events that changed this user in [start, end), oldest first, with their kind:
    password resets, account disabled or enabled, MFA method changes, group and role changes."""
    events, _ = events_about(store, [user_id], start, end, relations=("target",))
    return changes_in(events, user_id, kinds)


def changes_in(
    events: list[AuditEvent], user_id: str, kinds: frozenset[UserChange] | None = None
) -> list[UserChangeEvent]:
    """Of these events (newest first, as read), those that changed the user, oldest first,
    with their kind (only `kinds` when given)."""
    found = []
    for event in reversed(events):
        kind = user_change_of(event, user_id)
        if kind is not None and (kinds is None or kind in kinds):
            found.append(UserChangeEvent(event, kind))
    return found


def latest_change(
    store: Store, user_id: str, kind: UserChange, before: datetime | None = None
) -> AuditEvent | None:
    """The newest event of this kind on the user (before a moment when given), or None."""
    changes = user_changes(store, user_id, end=before, kinds=frozenset({kind}))
    return changes[-1].event if changes else None


# A group's owners change through these documented activities (Core Directory and
# self-service group management); the owner is a target, the group a target or Group.ObjectID.
_OWNER_REMOVED = re.compile(r"^remove owner from group$|^group_removeowner$", re.I)


def owner_removals(store: Store, group_id: str) -> list[AuditEvent]:
    """Events that removed an owner from this group, newest first."""
    events, _ = events_about(store, [group_id])
    return [e for e in events if _OWNER_REMOVED.match(" ".join(e.activity.split()))]
