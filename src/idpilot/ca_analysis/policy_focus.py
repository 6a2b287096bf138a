"""One Conditional Access policy asked about ("is the compliant-tablets rule actually on, and
who would it hit?", "what does VK-07 do?"): its state, what it does in plain words, and its
effect on the recorded sign-ins.

An enabled policy's effect is what the sign-in logs recorded for it (`success`, `failure`,
`notApplied` per sign-in, and whom it stopped); a report-only policy's logs say what it would
have done (`reportOnlyFailure`, `reportOnlyInterrupted`, and whom), as Entra itself judged
each sign-in. A switched-off one's logs say nothing (`notEnabled`): it is replayed as if
switched on over the recorded sign-ins (`ca_drafting.impact.replay_draft`, the engine a
draft's impact uses), and the people it would have blocked or prompted are named.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from idpilot.ca_analysis.evidence import cite_user
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting.impact import AFFECTED, replay_draft
from idpilot.conditional_access.plain_language import policy_ids, summarize_policy
from idpilot.conditional_access.policy import PolicyState, parse_policy
from idpilot.model.records import Record
from idpilot.skills.base import SkillResult
from idpilot.store import Store
from idpilot.store.queries.conditional_access import policy_results, users_hit
from idpilot.store.queries.related import objects_with_ids
from idpilot.store.queries.users import users_by_ids

USERS_SHOWN = 10
"""People named as hit by the policy, most sign-ins first."""
STOPPED = ["failure"]
WOULD_STOP = ["reportOnlyFailure", "reportOnlyInterrupted"]


def policy_focus(
    store: Store, tenant: TenantPolicies, policy_id: str, result: SkillResult
) -> dict[str, Any] | None:
    """The policy's state, plain-language summary and effect on recorded sign-ins (see the
    module); None when the store lacks it. People named are cited on `result`."""
    raw = tenant.policy(policy_id)
    if raw is None:
        return None
    parsed = parse_policy(raw)
    named = objects_with_ids(store, policy_ids(parsed))
    references = _cite_named(store, result, named)
    summary = summarize_policy(parsed, {row["matched"]: row["label"] for row in named})
    state = str(raw.get("state") or "")
    focus: dict[str, Any] = {
        "id": str(raw["id"]),
        "displayName": raw.get("displayName") or policy_id,
        "state": state,
        "enforced": state == PolicyState.enabled.value,
        "sentences": summary.sentences,
        "named": references,
        "recorded": policy_results(store, str(raw["id"])),
    }
    focus["changes"] = _latest_changes(store, str(raw["id"]), result)
    if focus["enforced"] or state == PolicyState.report_only.value:
        # The logs hold what it did, or (report-only) would have done, to each sign-in.
        wanted = STOPPED if focus["enforced"] else WOULD_STOP
        hit = users_hit(store, str(raw["id"]), wanted, USERS_SHOWN)
        focus["users"] = _cited(store, result, {r["userId"]: r["sign_ins"] for r in hit})
        return focus
    impact = replay_draft(store, tenant, raw)
    per_user: Counter[str] = Counter()
    for row in impact.affected():
        if row.user_id:
            per_user[row.user_id] += row.sign_ins
    focus["if_enabled"] = {
        "sign_ins": impact.sign_ins,
        "by_kind": {str(kind): count for kind, count in impact.by_kind.items()},
        "affected_sign_ins": sum(impact.by_kind.get(kind, 0) for kind in AFFECTED),
        "user_count": len(per_user),
    }
    focus["users"] = _cited(store, result, dict(per_user.most_common(USERS_SHOWN)))
    return focus


CHANGES_SHOWN = 3
"""The policy's latest audit events shown (who added it, who changed it last)."""


def _latest_changes(store: Store, policy_id: str, result: SkillResult) -> list[dict[str, Any]]:
    """The policy's latest audit events (added, updated), newest first, each cited."""
    from idpilot.skills.builtin._admin_common import audit_record
    from idpilot.store.audit import events_about

    events, _ = events_about(store, [policy_id], limit=CHANGES_SHOWN)
    changes = []
    for event in events:
        result.add_evidence(audit_record(event))
        changes.append(
            {
                "id": event.id,
                "when": event.when,
                "activity": event.activity,
                "actor": event.actor_upn or event.actor_name or "an unknown actor",
            }
        )
    return changes


def _cite_named(
    store: Store, result: SkillResult, named: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """Cite every object the policy's words name (users by their record, others by name): each
    as {"label", "ref"} for the answer to cite."""
    users = [row["id"] for row in named if row["kind"] == "user"]
    for row in users_by_ids(store, users) if users else []:
        cite_user(result, row)
    references = []
    for row in named:
        if row["kind"] != "user":
            result.add_evidence(
                Record(
                    kind=row["kind"],
                    id=row["id"],
                    label=f"{row['kind']} {row['label']}",
                    fields={"displayName": row["label"]},
                )
            )
        references.append({"label": row["label"], "ref": f"{row['kind']}:{row['id']}"})
    return references


def _cited(store: Store, result: SkillResult, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The users (id -> sign-ins) as cited rows, most sign-ins first."""
    rows = {row["id"]: row for row in users_by_ids(store, list(counts))}
    people = []
    for user_id, sign_ins in counts.items():
        row = rows.get(user_id)
        if row is None:
            continue
        cite_user(result, row)
        people.append(
            {
                "id": row["id"],
                "displayName": row.get("displayName") or row["id"],
                "sign_ins": sign_ins,
            }
        )
    return people
