"""The facts of `ca_whatif`: a hypothetical sign-in evaluated, for a user or for a role's holders.

The user case keeps the keys (and their order) `idpilot whatif --json` has always printed; the
role case is a subclass that only adds keys after them. Imports nothing of the engine, so the
skill registers without loading it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from idpilot.skills.base import SkillFacts


class NamedRef(SkillFacts):
    """A user the answer names: its evidence id and display name."""

    id: str
    displayName: str | None


class AppRef(SkillFacts):
    """The application signed in to: its evidence id, display name and appId."""

    id: str
    displayName: str | None
    appId: str | None


class CheckFact(SkillFacts):
    """One condition of a policy: matched (None: undecided), the reason in words, its cites."""

    condition: str
    matched: bool | None
    reason: str
    cites: list[str]


class PolicyFact(SkillFacts):
    """One policy's evaluation for the sign-in (`ca_analysis.scenario.policy_facts`)."""

    id: str
    displayName: str | None
    state: str | None
    result: str
    applies: bool
    report_only: bool
    checks: list[CheckFact]
    undecided: bool
    why_not: str | None
    why_not_cites: list[str]
    grant_controls: list[str]
    unsatisfied_controls: list[str]
    missing_facts: list[str]


class DependsFact(SkillFacts):
    """An enforced policy whose effect hangs on facts the question did not give."""

    id: str
    displayName: str | None
    blocks: bool
    controls: list[str]
    conditions: list[CheckFact]
    facts: list[str]


class DecidedFact(SkillFacts):
    """The outcome from decided conditions only (`ca_analysis.scenario.decided_outcome`)."""

    outcome: str
    blocking_policy_ids: list[str]
    required_controls: list[str]
    depends: list[DependsFact]


class WhatIfFacts(SkillFacts):
    """Which policies apply to a hypothetical sign-in, the outcome, and what it depends on."""

    user: NamedRef | None
    """The user signing in; None when the question is about a role (`RoleWhatIfFacts`)."""
    app: AppRef | None
    scenario: dict[str, Any]
    """The sign-in as described plus assumptions (`ca_analysis.scenario.Scenario`, as JSON)."""
    outcome: str
    required_controls: list[str]
    blocking_policy_ids: list[str]
    decided: DecidedFact
    policies: list[PolicyFact]
    applying: list[PolicyFact]
    not_applying: list[PolicyFact]
    missing_facts: list[str]
    roles: dict[str, Any] | None
    """The user's active and eligible roles and what activating each would change
    (`ca_analysis.roles.role_facts`); None when no policy targets roles, or for a role."""
    missing_words: list[str]


class SomeoneWhatIfFacts(WhatIfFacts):
    """The what-if of a hypothetical guest or member (no user named): the user case's keys,
    then the kind of user evaluated."""

    someone: str
    """ "a guest user (userType Guest) in no group and holding no role"."""


class PolicyBrief(SkillFacts):
    """A policy an answer names (cited by its id)."""

    id: str
    displayName: str | None
    report_only: bool = False


class RoleRef(SkillFacts):
    """The directory role asked about: its evidence reference, name and template id."""

    ref: str
    displayName: str
    templateId: str


class Exemption(SkillFacts):
    """A policy that applies to a plain holder of the role but not to this holder, and why."""

    policy: PolicyBrief
    reason: str | None
    cites: list[str]


class HolderFact(SkillFacts):
    """One holder of the role: the user, how they hold it, and how they differ from a plain
    holder (policies they are exempt from, policies that apply to them only)."""

    ref: str
    displayName: str | None
    userPrincipalName: str | None
    assignment: str
    """`active` or `eligible` (PIM; evaluated as if activated)."""
    assignment_ref: str
    via_group: NamedRef | None
    scope: str
    exempt_from: list[Exemption] = Field(default_factory=list)
    also_applies: list[PolicyBrief] = Field(default_factory=list)


class OutcomeGroup(SkillFacts):
    """Holders whose sign-in ends the same way, for the same policies."""

    outcome: str
    required_controls: list[str]
    blocking: list[PolicyBrief]
    requiring: list[PolicyBrief]
    """Enforced policies whose unmet controls the holders must satisfy."""
    depends: list[PolicyBrief]
    holders: list[HolderFact]


class RoleWhatIfFacts(WhatIfFacts):
    """The sign-in evaluated for the holders of a role.

    The inherited keys describe a hypothetical holder of the role with no group memberships and
    no other role (what the role alone brings: the direct answer to "would someone holding X
    have to ..."); the keys below cover the role's actual holders.
    """

    role: RoleRef
    role_policies: list[PolicyBrief]
    """Policies that apply to a holder only because of the role (they include it)."""
    role_exempts_from: list[PolicyBrief]
    """Policies that apply to others but exclude the role."""
    holder_count: int
    """Users actively holding the role tenant-wide (directly or through a group)."""
    evaluated_count: int
    holder_cap: int
    """At most this many holders (and as many eligible ones) are evaluated, by name."""
    outcome_groups: list[OutcomeGroup]
    eligible_count: int
    """Users eligible through PIM (and not active): the role counts once they activate it."""
    eligible_evaluated_count: int
    eligible_groups: list[OutcomeGroup]
    """Eligible holders, each evaluated as if they had activated the role."""
    scoped: list[HolderFact]
    """Users whose assignment is scoped to an administrative unit or an object: Conditional
    Access does not count scoped role assignments, so they are not evaluated as holders."""
    other_principals: int
    """Service principals (and other non-users) holding the role: user conditions skip them."""


class MemberRef(SkillFacts):
    """A member of a population the answer names (cited)."""

    ref: str
    displayName: str | None


class LeftOut(SkillFacts):
    """Members a policy does not apply to, for one reason."""

    reason: str | None
    cites: list[str]
    count: int
    examples: list[MemberRef]


class PolicyLine(SkillFacts):
    """What one policy does to a population: how many it applies to, blocks or asks more of,
    and whom it leaves out and why."""

    policy: PolicyBrief
    applies_count: int
    blocks_count: int
    """Members the policy blocks (decided conditions only)."""
    requires_count: int
    """Members who must satisfy controls of the policy they do not yet meet."""
    grant_controls: list[str]
    undecided: bool
    """Some condition hangs on a fact the question did not give."""
    left_out: list[LeftOut]
    examples: list[MemberRef]


class PopulationOutcome(SkillFacts):
    """Members of a population whose sign-in ends the same way, for the same policies."""

    outcome: str
    required_controls: list[str]
    blocking: list[PolicyBrief]
    requiring: list[PolicyBrief]
    depends: list[PolicyBrief]
    count: int
    examples: list[MemberRef]


class PopulationRef(SkillFacts):
    """The population asked about: the words used, what it was read as, the group it names."""

    said: str | None
    definition: str
    """ "users in department Finance", "members of group Contractors (transitively)"."""
    group: NamedRef | None
    parts: dict[str, Any]


class PopulationWhatIfFacts(WhatIfFacts):
    """The sign-in evaluated for a described population (no user named).

    The inherited keys describe the largest cohort's sign-in (its first member by name; with no
    member, a hypothetical user with the population's type and group); the keys below cover
    every member.
    """

    population: PopulationRef
    member_count: int
    """Enabled users who fit (the ones evaluated)."""
    disabled_count: int
    """Disabled users who fit: they cannot sign in, so they are not evaluated."""
    cohort_count: int
    """Sign-ins evaluated: one per set of members the policies cannot tell apart."""
    policy_lines: list[PolicyLine]
    outcome_groups: list[PopulationOutcome]
