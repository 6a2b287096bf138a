"""The what-if principal: one extra user with exactly the facts given, the rest unchanged."""

from __future__ import annotations

from idpilot.conditional_access import InMemoryDirectory, PolicySet, SignInContext, WithPrincipal
from idpilot.conditional_access.directory import HYPOTHETICAL_PRINCIPAL_ID

ROLE = "62e90394-69f5-4237-9190-012177145e10"
EXCLUDED_GROUP = "group-breakglass"


def _policy() -> dict:
    return {
        "id": "p-admins",
        "displayName": "Require MFA for admins",
        "state": "enabled",
        "conditions": {
            "users": {"includeRoles": [ROLE], "excludeGroups": [EXCLUDED_GROUP]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }


def test_a_principal_holding_a_role_has_it_and_nothing_else() -> None:
    inner = InMemoryDirectory.from_json(
        {"users": {"u1": {"userType": "Member", "groups": [EXCLUDED_GROUP], "roles": [ROLE]}}}
    )
    holder = WithPrincipal.holding(inner, {ROLE.upper()})
    assert holder.principal_id == HYPOTHETICAL_PRINCIPAL_ID
    assert holder.role_template_ids_of(holder.principal_id) == {ROLE}
    assert holder.group_ids_of(holder.principal_id) == set()
    assert holder.user_type_of(holder.principal_id) == "Member"
    assert holder.group_ids_of("u1") == {EXCLUDED_GROUP}  # everyone else as before


def test_the_role_condition_sees_the_principal_and_the_real_holder_stays_excluded() -> None:
    inner = InMemoryDirectory.from_json(
        {"users": {"u1": {"userType": "Member", "groups": [EXCLUDED_GROUP], "roles": [ROLE]}}}
    )
    policies = PolicySet.from_graph([_policy()], [])
    holder = WithPrincipal.holding(inner, {ROLE})
    plain = policies.evaluate(SignInContext(user_id=holder.principal_id), holder)
    assert plain.required_controls == ["mfa"]
    excluded = policies.evaluate(SignInContext(user_id="u1"), holder)
    assert excluded.required_controls == []
    nobody = WithPrincipal.holding(inner, set())
    assert (
        policies.evaluate(SignInContext(user_id=nobody.principal_id), nobody).outcome == "allowed"
    )
