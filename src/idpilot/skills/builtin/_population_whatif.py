"""`ca_whatif` for a described population ("a contractor on an unmanaged Android phone",
"someone in Finance from home"): every user who fits, evaluated for the sign-in described
(`idpilot.ca_analysis.population_whatif`), with what each policy does to how many of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillResult
from idpilot.skills.builtin._whatif_facts import NamedRef, PopulationRef, PopulationWhatIfFacts
from idpilot.skills.builtin._whatif_population import Population
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import group_by_id

if TYPE_CHECKING:
    from idpilot.skills.builtin.ca_whatif import WhatIfInput


def population_whatif(store: Store, params: WhatIfInput, result: SkillResult) -> SkillResult:
    """The sign-in the parameters describe, for every user of the population they describe."""
    from idpilot.ca_analysis.evidence import ReasonObjects
    from idpilot.ca_analysis.population_whatif import (
        evaluate_cohorts,
        population_members,
        population_outcomes,
    )
    from idpilot.conditional_access.directory import UserFacts, WithPrincipal
    from idpilot.skills.builtin.ca_whatif import (
        NAME,
        _evaluation_facts,
        _next_steps,
        _setting,
    )

    population = params.population
    assert population is not None
    group = None
    if population.group:
        resolution = resolve(store, population.group, "group")
        if resolution.match is None:
            return resolution.unresolved(NAME, "group")
        group = _cite_group(result, group_by_id(store, resolution.match.id) or {})
    setting = _setting(store, params, result)
    if isinstance(setting, SkillResult):
        return setting
    app, tenant, scenario = setting.app, setting.tenant, setting.scenario
    members = population_members(store, population, group["group_id"] if group else None)
    cohorts = evaluate_cohorts(tenant, setting.context, members)
    objects = ReasonObjects(store, tenant, result)
    lines, outcomes = population_outcomes(tenant, objects, result, cohorts)
    if cohorts:
        evaluation = max(cohorts, key=lambda c: len(c.members)).evaluation
    else:
        # No one fits: what someone who did (the type and group said, nothing else) would face.
        facts = UserFacts(
            user_type=population.user_type or "Member",
            group_ids={group["group_id"]} if group else set(),
        )
        directory = WithPrincipal(tenant.directory, facts)
        context = setting.context(directory.principal_id)
        evaluation = tenant.policy_set.evaluate(context, directory)
    base = _evaluation_facts(tenant, result, objects, scenario, evaluation)
    result.facts = PopulationWhatIfFacts(
        user=None,
        app=app,
        **base,
        roles=None,
        population=PopulationRef(
            said=population.said,
            definition=definition(population, group["displayName"] if group else None),
            group=NamedRef(id=group["ref"], displayName=group["displayName"]) if group else None,
            parts=population.model_dump(exclude_none=True, exclude={"said"}),
        ),
        member_count=len(members.enabled),
        disabled_count=members.disabled,
        cohort_count=len(cohorts),
        policy_lines=lines,
        outcome_groups=outcomes,
    )
    _next_steps(result, base["missing_words"])
    if not members.enabled:
        result.next_steps.append(
            NextStep(
                action="No enabled user fits this description, so no one's sign-in was "
                "evaluated; check the department, group or words used."
            )
        )
    first = next((e for g in outcomes for e in g["examples"]), None)
    result.followups = [
        *([f"What happens if {first['displayName']} signs in from a compliant device?"]
          if first and first["displayName"] else []),
        "Where are the gaps in our Conditional Access policies?",
    ]  # fmt: skip
    return result


def _cite_group(result: SkillResult, group: dict[str, Any]) -> dict[str, Any]:
    """Cite the group a population names; its reference, id and name."""
    name = group.get("displayName") or group["id"]
    record = result.add_evidence(
        Record(kind="group", id=group["id"], label=f"group {name}", fields={"displayName": name})
    )
    return {"ref": f"group:{record.id}", "group_id": group["id"], "displayName": name}


def definition(population: Population, group_name: str | None) -> str:
    """The population in words, as the answer states what it evaluated."""
    kind = {"Guest": "guests", "Member": "members (not guests)"}.get(population.user_type or "")
    parts = [kind or "users"]
    if population.department:
        parts.append(f"in department {population.department}")
    if group_name:
        parts.append(f"in group {group_name} (directly or through nested groups)")
    if population.company:
        parts.append(f"of company {population.company}")
    if population.described:
        parts.append(f"whose job title, company or employee type says '{population.described}'")
    if population.admins:
        parts.append("holding a privileged directory role tenant-wide (active or eligible)")
    if population.new_days:
        parts.append(f"created in the snapshot's last {population.new_days} days")
    return " ".join(parts)
