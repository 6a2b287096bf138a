"""Gap analysis over every Conditional Access policy: who and what no policy protects.

Counts are exact: each user's scope is checked with the compiled users condition of every
policy (the same code the evaluator runs), never sampled.

Break-glass heuristic: an account whose name or UPN looks like an emergency account
(`BREAK_GLASS_WORDS`), or a Global Administrator excluded from at least
`BREAK_GLASS_EXCLUDED_SHARE` of the enabled policies (tenants exclude their break-glass accounts
from most policies, and only from those).
"""

from __future__ import annotations

import copy
import re
from itertools import combinations
from typing import Any

from idpilot.ca_analysis.policy_reach import (
    ACTIVE_STATES,
    apps_condition,
    configuration_reasons,
    nobody_in_scope,
    switched_off,
    users_condition,
    what_it_enforces,
)
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import SignInContext
from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.conditional_access.compile import CompiledPolicy
from idpilot.conditional_access.conditions import SetCondition
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.policy import PolicyState
from idpilot.conditional_access.user_scope import UsersCondition
from idpilot.store import Store
from idpilot.store.ca_directory import USERS_ASKED_ONE_BY_ONE
from idpilot.store.queries.conditional_access import report_only_outcomes
from idpilot.store.queries.groups import group_names_by_lower_ids
from idpilot.store.queries.users import users_in_scope_order
from idpilot.store.version_memo import per_version

GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
"""Role template id of Global Administrator (the same in every tenant)."""
# MFA coverage: a user is covered when some enabled policy requiring MFA, an authentication
# strength, or a block applies to them for all apps on every sign-in (see covers_every_sign_in).
BREAK_GLASS_WORDS = re.compile(r"break.?glass|emergency|bg.?admin|breakglass", re.IGNORECASE)
BREAK_GLASS_EXCLUDED_SHARE = 0.5
MFA_LIKE = frozenset({BuiltInControl.mfa.value, BuiltInControl.block.value})
LEGACY_TYPES = frozenset({"exchangeactivesync", "other"})
ENABLED = PolicyState.enabled.value
REPORT_ONLY = PolicyState.report_only.value
AFFECTED_SHOWN = 10


def _client_types(policy: CompiledPolicy) -> frozenset[str] | None:
    for condition in policy.conditions:
        if isinstance(condition, SetCondition) and condition.name == "clientAppTypes":
            return frozenset(condition.values)
    return None


def requires_mfa(policy: CompiledPolicy) -> bool:
    """Blocks, or demands MFA or an authentication strength."""
    grant = policy.grant
    return grant.blocks or any(
        c.token in MFA_LIKE or c.token.startswith("authenticationStrength:") for c in grant.controls
    )


def _all_apps(policy: CompiledPolicy) -> bool:
    apps = apps_condition(policy)
    return bool(apps and apps.include_all and not apps.exclude_ids and not apps.exclude_groups)


def _other_conditions(policy: CompiledPolicy) -> list[str]:
    return [c.name for c in policy.conditions if c.name not in ("users", "applications")]


def analyse(store: Store, tenant: TenantPolicies) -> dict[str, Any]:
    """Every finding of the coverage analysis, as plain facts with policy and user ids."""
    policies = list(tenant.policy_set.policies)
    users = users_in_scope_order(store)
    scope = _scopes(users, policies, tenant)
    raw = {p.id: tenant.policy(p.id) or {} for p in policies}
    never = _never_apply(store, policies, raw, users, scope)
    return {
        "policies": len(policies),
        "enabled": sum(1 for p in policies if p.state == ENABLED),
        "users": len(users),
        "mfa_gap": _mfa_gap(users, policies, scope, tenant),
        "legacy": _legacy(policies, users, scope),
        "break_glass": _break_glass(users, policies, scope, tenant),
        "report_only": _report_only(store, policies),
        "switched_off": switched_off(policies, raw),
        "never_apply": never,
        "overlaps": _overlaps(policies),
        "exclusion_holes": [
            hole
            for hole in _exclusion_holes(users, policies, scope, tenant, raw)
            if hole["id"] not in {p["id"] for p in never}
        ],
    }


def break_glass_accounts(store: Store, tenant: TenantPolicies) -> list[dict[str, Any]]:
    """The accounts that look like break-glass accounts (see the module docstring); found once
    per loaded tenant (a draft reads them for its exclusions and again for its checks)."""

    def find() -> list[dict[str, Any]]:
        policies = list(tenant.policy_set.policies)
        users = users_in_scope_order(store)
        return _break_glass(users, policies, _scopes(users, policies, tenant), tenant)

    return copy.deepcopy(tenant.remember("break_glass_accounts", find))


def overlaps_with(policy: CompiledPolicy, others: list[CompiledPolicy]) -> list[dict[str, Any]]:
    """The conflicts, duplicates and overlaps between one policy and each of `others`."""
    return [pair for pair in _overlaps([policy, *others]) if policy.id in pair["policy_ids"]]


def _scopes(
    users: list[dict[str, Any]], policies: list[CompiledPolicy], tenant: TenantPolicies
) -> dict[str, dict[str, bool | None]]:
    """policy id -> user id -> in the policy's user scope (True/False/None undecided)."""
    conditions = {p.id: users_condition(p) for p in policies}
    out: dict[str, dict[str, bool | None]] = {p.id: {} for p in policies}
    if len(users) > USERS_ASKED_ONE_BY_ONE:
        tenant.directory.load()  # every user's groups and roles are read: one bulk read
    for user in users:
        facts = Facts(SignInContext(user_id=user["id"]), tenant.directory)
        for policy_id, condition in conditions.items():
            out[policy_id][user["id"]] = (
                condition.check(facts, False)[0] if condition is not None else False
            )
    return out


def covers_every_sign_in(policy: CompiledPolicy, tenant: TenantPolicies) -> bool:
    """Whether the policy requires MFA (or blocks) for all apps with no condition narrowing
    which sign-ins.

    The one narrowing accepted is the common baseline "MFA at all locations except trusted
    ones"; a block narrowed by location ("block sign-ins outside our countries") lets every
    sign-in from the excluded places through with no MFA at all, so it covers none.
    """
    if not (requires_mfa(policy) and _all_apps(policy)):
        return False
    others = set(_other_conditions(policy))
    if others - {"locations", "clientAppTypes"}:
        return False
    if "locations" in others and policy.grant.blocks:
        return False
    raw = (tenant.policy(policy.id) or {}).get("conditions") or {}
    client_types = {str(t).lower() for t in raw.get("clientAppTypes") or ["all"]}
    if "clientAppTypes" in others and "all" not in client_types:
        return False
    if "locations" in others:
        include = [str(x).lower() for x in (raw.get("locations") or {}).get("includeLocations", [])]
        if include != ["all"]:
            return False
    return True


def _enabled_outside(
    users: list[dict[str, Any]],
    policies: list[CompiledPolicy],
    scope: dict[str, dict[str, bool | None]],
) -> list[dict[str, Any]]:
    """The enabled users none of `policies` applies to (by `scope`: policy id -> user id ->
    in scope)."""
    return [
        u
        for u in users
        if u.get("accountEnabled") is not False
        and not any(scope[p.id].get(u["id"]) for p in policies)
    ]


def _mfa_gap(
    users: list[dict[str, Any]],
    policies: list[CompiledPolicy],
    scope: dict[str, dict[str, bool | None]],
    tenant: TenantPolicies,
) -> dict[str, Any]:
    covering = [p for p in policies if p.state == ENABLED and covers_every_sign_in(p, tenant)]
    uncovered = _enabled_outside(users, covering, scope)
    return {
        "covering_policy_ids": [p.id for p in covering],
        "covering": [{"id": p.id, "displayName": p.display_name} for p in covering],
        "uncovered_count": len(uncovered),
        "uncovered": uncovered[:AFFECTED_SHOWN],
    }


def _legacy(
    policies: list[CompiledPolicy],
    users: list[dict[str, Any]],
    scope: dict[str, dict[str, bool | None]],
) -> dict[str, Any]:
    blockers = [
        p
        for p in policies
        if p.state == ENABLED
        and p.grant.blocks
        and (_client_types(p) or frozenset()) & LEGACY_TYPES
        and _all_apps(p)
    ]
    not_blocked = _enabled_outside(users, blockers, scope)
    return {
        "blocking_policy_ids": [p.id for p in blockers],
        "blocking": [{"id": p.id, "displayName": p.display_name} for p in blockers],
        "blocked": bool(blockers),
        "users_not_blocked": len(not_blocked),
    }


def _break_glass(
    users: list[dict[str, Any]],
    policies: list[CompiledPolicy],
    scope: dict[str, dict[str, bool | None]],
    tenant: TenantPolicies,
) -> list[dict[str, Any]]:
    enabled = [p for p in policies if p.state == ENABLED]
    found = []
    for user in users:
        named = bool(
            BREAK_GLASS_WORDS.search(user.get("displayName") or "")
            or BREAK_GLASS_WORDS.search(user.get("userPrincipalName") or "")
        )
        excluded = [p for p in enabled if scope[p.id].get(user["id"]) is False]
        global_admin = GLOBAL_ADMINISTRATOR in {
            r.lower() for r in tenant.directory.role_template_ids_of(user["id"])
        }
        share = len(excluded) / len(enabled) if enabled else 0.0
        if not (named or (global_admin and share >= BREAK_GLASS_EXCLUDED_SHARE)):
            continue
        blocking = [p.id for p in enabled if p.grant.blocks and scope[p.id].get(user["id"])]
        found.append(
            {
                "id": user["id"],
                "displayName": user.get("displayName"),
                "why": "name" if named else "excluded from most policies",
                "global_admin": global_admin,
                "excluded_from": len(excluded),
                "not_excluded_from_block_policy_ids": blocking,
            }
        )
    return found


def _report_only(store: Store, policies: list[CompiledPolicy]) -> list[dict[str, Any]]:
    report_only = [p for p in policies if p.state == REPORT_ONLY]
    if not report_only:
        return []
    ids = [p.id.lower() for p in report_only]
    rows = per_version(  # read once per store version: every sign-in's results are parsed
        store, ("report_only_outcomes", *ids), lambda: report_only_outcomes(store, ids)
    )
    counts = {row[0]: (row[1], row[2]) for row in rows}
    return [
        {
            "id": p.id,
            "displayName": p.display_name,
            "would_block": counts.get(p.id.lower(), (0, 0))[0],
            "would_interrupt": counts.get(p.id.lower(), (0, 0))[1],
        }
        for p in sorted(report_only, key=lambda p: -counts.get(p.id.lower(), (0, 0))[0])
    ]


def _never_apply(
    store: Store,
    policies: list[CompiledPolicy],
    raw: dict[str, dict[str, Any]],
    users: list[dict[str, Any]],
    scope: dict[str, dict[str, bool | None]],
) -> list[dict[str, Any]]:
    """Enabled and report-only policies that can never apply: by their configuration, or
    because no enabled user of the directory is in their scope (`policy_reach`)."""
    enabled_users = [u["id"] for u in users if u.get("accountEnabled") is not False]
    named_groups = sorted(
        {g.lower() for p in policies if (c := users_condition(p)) for g in c.include_groups}
    )
    existing = {r["id"].lower() for r in group_names_by_lower_ids(store, named_groups)}
    found = []
    for policy in policies:
        if policy.state not in ACTIVE_STATES:
            continue
        reasons = configuration_reasons(policy, raw.get(policy.id) or {})
        empty = nobody_in_scope(policy, enabled_users, scope[policy.id], existing)
        if empty and not reasons:
            reasons.append(empty)
        if reasons:
            users_of = users_condition(policy)
            groups = set()
            if users_of:
                groups = users_of.include_groups & users_of.exclude_groups
                if empty:
                    groups |= users_of.include_groups
            found.append(
                {
                    "id": policy.id,
                    "displayName": policy.display_name,
                    "why": reasons,
                    "groups": sorted(groups),
                }
            )
    return found


def _users_key(policy: CompiledPolicy) -> tuple | None:
    users = users_condition(policy)
    if users is None:
        return None
    return (
        users.include_all, users.include_guests, users.include_users, users.include_groups,
        users.include_roles, users.exclude_users, users.exclude_groups, users.exclude_roles,
        users.exclude_guests,
    )  # fmt: skip


def _apps_key(policy: CompiledPolicy) -> tuple | None:
    apps = apps_condition(policy)
    if apps is None:
        return None
    return (apps.include_all, apps.include_ids, apps.exclude_ids, apps.user_actions)


def _conditions_key(policy: CompiledPolicy) -> list[object]:
    """The policy's conditions other than users and apps, by name (dataclasses: equal by value)."""
    others = [c for c in policy.conditions if c.name not in ("users", "applications")]
    return sorted(others, key=lambda condition: condition.name)


def _overlaps(policies: list[CompiledPolicy]) -> list[dict[str, Any]]:
    """Pairs of active policies over the same users and apps: conflicting or duplicate."""
    active = [p for p in policies if p.state in (ENABLED, REPORT_ONLY)]
    found = []
    for first, second in combinations(active, 2):
        if _users_key(first) != _users_key(second) or _apps_key(first) != _apps_key(second):
            continue
        if first.grant.blocks != second.grant.blocks:
            kind = "conflict"
            detail = "one blocks while the other grants access with controls"
        elif first.grant.key == second.grant.key:
            if _conditions_key(first) != _conditions_key(second):
                continue  # the same control under different conditions: complementary
            kind = "duplicate"
            detail = "same grant controls under the same conditions"
        else:
            kind = "overlap"
            detail = "same users and apps, different controls (all of them apply)"
        found.append(
            {
                "kind": kind,
                "detail": detail,
                "policy_ids": [first.id, second.id],
                "names": [first.display_name, second.display_name],
                "other_conditions": sorted(
                    set(_other_conditions(first)) | set(_other_conditions(second))
                ),
            }
        )
    return found


def _exclusion_holes(
    users: list[dict[str, Any]],
    policies: list[CompiledPolicy],
    scope: dict[str, dict[str, bool | None]],
    tenant: TenantPolicies,
    raw: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Enabled policies with a grant control (block, MFA, device...) whose exclusions take
    users out who would be included, with what the exclusion exempts them from."""
    found = []
    for policy in policies:
        condition = users_condition(policy)
        if policy.state != ENABLED or condition is None or not condition.has_exclusions:
            continue
        if not (policy.grant.blocks or policy.grant.controls):
            continue
        without = UsersCondition(
            include_all=condition.include_all,
            include_guests=condition.include_guests,
            include_users=condition.include_users,
            include_groups=condition.include_groups,
            include_roles=condition.include_roles,
            include_external=condition.include_external,
            exclude_guests=False,
            exclude_users=frozenset(),
            exclude_groups=frozenset(),
            exclude_roles=frozenset(),
            exclude_external=None,
        )
        affected = [
            u
            for u in users
            if scope[policy.id].get(u["id"]) is False
            and without.check(Facts(SignInContext(user_id=u["id"]), tenant.directory), False)[0]
        ]
        if affected:
            found.append(
                {
                    "id": policy.id,
                    "displayName": policy.display_name,
                    "affected_count": len(affected),
                    "affected": affected[:AFFECTED_SHOWN],
                    "excluded_groups": sorted(condition.exclude_groups),
                    "excluded_users": sorted(condition.exclude_users),
                    "excluded_roles": sorted(condition.exclude_roles),
                    "excludes_guests": condition.exclude_guests,
                    "exempts_from": what_it_enforces(raw.get(policy.id) or {}),
                    "conditions": _other_conditions(policy),
                }
            )
    return sorted(found, key=lambda f: -f["affected_count"])
