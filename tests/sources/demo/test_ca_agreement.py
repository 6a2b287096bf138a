"""Every recorded Conditional Access result agrees with the real engine replaying the files.

The directory is rebuilt from the written snapshot only (not from the generator's objects):
groups with their members resolved transitively, active role assignments by role template id,
and each user's userType.
"""

from __future__ import annotations

from collections import Counter

import orjson
import pytest

from idpilot.conditional_access import PolicySet, compare, context_from_sign_in


class SnapshotDirectory:
    """The engine's Directory protocol over a snapshot folder's users, groups and roles."""

    def __init__(self, collections: dict[str, list[dict]]) -> None:
        parents: dict[str, set[str]] = {}
        direct: dict[str, set[str]] = {}
        for group in collections["groups"]:
            for member in group.get("members") or ():
                kind = member.get("@odata.type", "")
                target = parents if kind.endswith(".group") else direct
                target.setdefault(member["id"].lower(), set()).add(group["id"].lower())
        self._parents, self._direct = parents, direct
        templates = {
            d["id"].lower(): (d.get("templateId") or d["id"]).lower()
            for d in collections["roleDefinitions"]
        }
        self._roles: dict[str, set[str]] = {}
        for assignment in collections["roleAssignments"]:  # active assignments only
            if assignment.get("directoryScopeId", "/") not in ("/", ""):
                continue  # Microsoft: CA is not enforced for AU- or object-scoped assignments
            role = assignment["roleDefinitionId"].lower()
            principal = assignment["principalId"].lower()
            self._roles.setdefault(principal, set()).add(templates.get(role, role))
        self._types = {u["id"].lower(): u["userType"] for u in collections["users"]}
        self._groups: dict[str, set[str]] = {}

    def group_ids_of(self, user_id: str) -> set[str]:
        key = user_id.lower()
        if key not in self._groups:
            seen: set[str] = set()
            stack = list(self._direct.get(key, ()))
            while stack:
                group = stack.pop()
                if group not in seen:
                    seen.add(group)
                    stack.extend(self._parents.get(group, ()))
            self._groups[key] = seen
        return set(self._groups[key])

    def role_template_ids_of(self, user_id: str) -> set[str]:
        key = user_id.lower()
        roles = set(self._roles.get(key, ()))
        for group in self.group_ids_of(key):  # role-assignable groups pass their roles on
            roles |= self._roles.get(group, set())
        return roles

    def user_type_of(self, user_id: str) -> str | None:
        return self._types.get(user_id.lower())


@pytest.fixture(scope="module")
def replay(demo) -> dict:
    """Replay every sign-in that recorded CA results; disagreements counted per policy."""
    manifest = orjson.loads((demo.path / "manifest.json").read_bytes())
    assert (manifest["users"], manifest["days"]) == (300, 30)  # the default size
    policies = demo.collections["conditionalAccessPolicies"]
    policy_set = PolicySet.from_graph(policies, demo.collections["namedLocations"])
    directory = SnapshotDirectory(demo.collections)
    checked: Counter[str] = Counter()
    disagreements: Counter[tuple[str, str | None, str | None]] = Counter()
    examples: dict[str, str] = {}
    replayed = 0
    for sign_in in demo.sign_ins:
        recorded = sign_in["appliedConditionalAccessPolicies"]
        if not recorded:
            continue
        replayed += 1
        evaluation = policy_set.evaluate(context_from_sign_in(sign_in), directory)
        for entry in recorded:
            checked[entry["id"]] += 1
        for d in compare(evaluation, recorded):
            disagreements[(d.policy_id, d.expected, d.computed)] += 1
            examples.setdefault(d.policy_id, sign_in["id"])
    return {
        "policies": policies,
        "replayed": replayed,
        "checked": checked,
        "disagreements": disagreements,
        "examples": examples,
    }


def test_every_recorded_result_agrees_with_the_engine(replay) -> None:
    assert replay["replayed"] > 10_000
    assert not replay["disagreements"], (
        f"(policy, recorded, computed): count = {dict(replay['disagreements'])}; "
        f"example sign-ins: {replay['examples']}"
    )


def test_agreement_covers_every_policy(replay) -> None:
    for policy in replay["policies"]:
        assert replay["checked"][policy["id"]] == replay["replayed"], policy["displayName"]
