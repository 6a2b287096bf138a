"""Skill `ca_whatif`: which Conditional Access policies apply to a hypothetical sign-in, and why.

Asked about a user, it evaluates that user's sign-in. Asked about a directory role ("would
someone holding Global Administrator ..."), it evaluates a hypothetical holder with no groups and
no other role (what the role alone brings), then each holder Conditional Access counts, grouped
by outcome (`idpilot.ca_analysis.role_whatif`). Asked about a kind of person ("a contractor",
"someone in Finance", "an admin"), it evaluates every user who fits, one sign-in per set of
members the policies cannot tell apart, and counts what each policy does to them
(`idpilot.ca_analysis.population_whatif`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, model_validator

from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel
from idpilot.knowledge.countries import country_code
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import (
    NextStep,
    ResultStatus,
    SkillResult,
    Slot,
    UnresolvedFacts,
    define_skill,
    slot,
)
from idpilot.skills.builtin._whatif_facts import (
    AppRef,
    NamedRef,
    RoleWhatIfFacts,
    SomeoneWhatIfFacts,
    WhatIfFacts,
)
from idpilot.skills.builtin._whatif_population import Population
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import city_country, user_by_id
from idpilot.store.queries.apps import service_principal_summary

if TYPE_CHECKING:
    from idpilot.ca_analysis.evidence import ReasonObjects
    from idpilot.ca_analysis.scenario import Scenario
    from idpilot.ca_analysis.tenant_policies import TenantPolicies
    from idpilot.conditional_access import Directory, Evaluation, SignInContext
    from idpilot.conditional_access.directory import UserFacts

NAME = "ca_whatif"
TRUST_TYPES = {"hybrid": "ServerAd", "entra": "AzureAd", "registered": "Workplace"}
"""Graph's device trustType for each way a device can be joined."""


class WhatIfInput(BaseModel):
    """A hypothetical sign-in: who (a user, or a role's holders), to what, from where and what."""

    slot_alternatives: ClassVar[tuple[str, ...]] = ("user", "role", "population", "someone")
    """Exactly one of these is given; a planner fills the first the prompt names."""

    user: str | None = slot(
        Slot.user, "The user: object id, userPrincipalName or display name.", default=None
    )
    role: str | None = slot(
        Slot.role,
        "A directory role (name, id or template id): the sign-in of each of its holders, "
        "instead of one user.",
        default=None,
    )
    someone: Literal["guest", "member"] | None = slot(
        Slot.stated,
        "No user named: a hypothetical user of this kind, a guest (userType Guest) or a member, "
        "in no group and holding no role.",
        default=None,
    )
    population: Population | None = slot(
        Slot.stated,
        "No user named: a kind of person (a department, a group, guests, a company, a word of "
        "their job title, admins, new starters): the sign-in of every user who fits.",
        default=None,
    )
    app: str | None = slot(Slot.application, "The application (name or appId).", default=None)
    platform: DevicePlatform | None = slot(Slot.stated, "The device platform.", default=None)
    ip_address: str | None = slot(Slot.ip_address, "The IP address signed in from.", default=None)
    country: str | None = slot(Slot.stated, "The country (ISO 3166 alpha-2).", default=None)
    city: str | None = slot(
        Slot.stated,
        "The city signed in from: its country is the one the tenant's sign-ins record for it; "
        "from an office there (`at_site`), the named location named after it.",
        default=None,
    )
    at_site: bool = slot(
        Slot.stated,
        "The sign-in comes from the organisation's office, site or branch in that city.",
        default=False,
    )
    client_app: ClientAppType | None = slot(Slot.stated, "The client app type.", default=None)
    device_compliant: bool | None = slot(
        Slot.stated, "The device is marked compliant (or managed).", default=None
    )
    device_joined: Literal["hybrid", "entra", "registered"] | None = slot(
        Slot.stated,
        "How the device is joined: hybrid joined (trustType ServerAd), Microsoft Entra joined "
        "(AzureAd) or registered (Workplace).",
        default=None,
    )
    sign_in_risk: RiskLevel | None = slot(Slot.stated, "The sign-in risk level.", default=None)
    user_risk: RiskLevel | None = slot(Slot.stated, "The user risk level.", default=None)
    mfa: bool = slot(Slot.stated, "The user completed MFA.", default=False)
    trusted_location: bool = slot(
        Slot.stated, "From a trusted location (the office network).", default=False
    )
    outside_locations: bool = slot(
        Slot.stated,
        "From a network no named location covers (home, a hotel, public Wi-Fi).",
        default=False,
    )

    @model_validator(mode="after")
    def _one_principal(self) -> WhatIfInput:
        """A what-if is about one user, one role's holders or one kind of user: exactly one."""
        given = [name for name in self.slot_alternatives if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "ca_whatif needs exactly one of `user` (whose sign-in), `role` (the sign-in of "
                "its holders), `population` (the sign-in of everyone of a kind) or `someone` "
                "(a hypothetical guest or member); "
                f"{' and '.join(given) or 'none'} given"
            )
        return self


def ca_whatif(store: Store, params: WhatIfInput) -> SkillResult:
    """Evaluate Conditional Access for a hypothetical sign-in, like Entra's What If tool."""
    from idpilot.ca_analysis.evidence import cite_user
    from idpilot.ca_analysis.roles import role_facts

    result = SkillResult(skill=NAME)
    if params.role is not None:
        return _role_whatif(store, params, result)
    if params.population is not None:
        from idpilot.skills.builtin._population_whatif import population_whatif

        return population_whatif(store, params, result)
    if params.someone is not None:
        return _someone_whatif(store, params, result)
    assert params.user is not None
    resolution = resolve(store, params.user, "user")
    if resolution.match is None:
        return resolution.unresolved(NAME, "user")
    user = user_by_id(store, resolution.match.id)
    assert user is not None
    user_ref = cite_user(result, user)
    evaluated = _evaluated(store, params, result, user["id"])
    if isinstance(evaluated, SkillResult):
        return evaluated
    result.facts = WhatIfFacts(
        user=NamedRef(id=user_ref, displayName=user.get("displayName")),
        app=evaluated.app,
        **evaluated.facts,
        roles=role_facts(store, result, evaluated.tenant, evaluated.context, evaluated.evaluation),
    )
    _next_steps(result, result.facts.missing_words)
    name = user.get("displayName") or user["id"]
    result.followups = [
        f"What happens if {name} signs in from a compliant device?",
        f"Why did {name} fail to sign in recently?",
        "Where are the gaps in our Conditional Access policies?",
    ]
    return result


@dataclass
class _Evaluated:
    """One principal's hypothetical sign-in, evaluated, and the facts every what-if holds."""

    app: AppRef | None
    tenant: TenantPolicies
    context: SignInContext
    evaluation: Evaluation
    facts: dict[str, Any]


def _evaluated(
    store: Store,
    params: WhatIfInput,
    result: SkillResult,
    user_id: str | None = None,
    principal: UserFacts | None = None,
) -> _Evaluated | SkillResult:
    """The sign-in the parameters describe, for a user of the tenant (`user_id`) or for a
    hypothetical one with exactly the given facts (`principal`), evaluated and cited; the
    unresolved result when the app names no one."""
    from idpilot.ca_analysis.evidence import ReasonObjects
    from idpilot.conditional_access.directory import WithPrincipal

    setting = _setting(store, params, result)
    if isinstance(setting, SkillResult):
        return setting
    tenant = setting.tenant
    directory: Directory = tenant.directory
    if principal is not None:
        directory = WithPrincipal(tenant.directory, principal)
        user_id = directory.principal_id
    assert user_id is not None
    context = setting.context(user_id)
    evaluation = tenant.policy_set.evaluate(context, directory)
    objects = ReasonObjects(store, tenant, result)
    facts = _evaluation_facts(tenant, result, objects, setting.scenario, evaluation)
    return _Evaluated(setting.app, tenant, context, evaluation, facts)


@dataclass
class _Setting:
    """What every what-if evaluates against: the app (cited), the tenant's policies, and the
    described sign-in, whose context is made per user."""

    app: AppRef | None
    tenant: TenantPolicies
    scenario: Scenario

    def context(self, user_id: str) -> SignInContext:
        """The described sign-in, made by `user_id` to the app."""
        return self.scenario.context(user_id, self.app.appId if self.app else None)


def _setting(store: Store, params: WhatIfInput, result: SkillResult) -> _Setting | SkillResult:
    """The app, policies and sign-in the parameters describe, or the unresolved result when
    the app names no one."""
    from idpilot.ca_analysis.tenant_policies import TenantPolicies

    app = _app(store, params, result)
    if isinstance(app, SkillResult):
        return app
    tenant = TenantPolicies.load(store)
    return _Setting(app, tenant, _scenario(store, params, tenant, result, app))


def _app(store: Store, params: WhatIfInput, result: SkillResult) -> AppRef | SkillResult | None:
    """The application named (cited), None when none is, or the unresolved result."""
    from idpilot.ca_analysis.evidence import cite_service_principal

    if not params.app:
        return None
    resolution = resolve(store, params.app, "servicePrincipal")
    if resolution.match is None:
        return resolution.unresolved(NAME, "application")
    sp = service_principal_summary(store, resolution.match.id)
    ref = cite_service_principal(result, sp)
    return AppRef(id=ref, displayName=sp["displayName"], appId=sp["appId"])


def _scenario(
    store: Store,
    params: WhatIfInput,
    tenant: TenantPolicies,
    result: SkillResult,
    app: AppRef | None,
) -> Scenario:
    """The sign-in the parameters describe, with a trusted address when 'from the office'."""
    from idpilot.ca_analysis.evidence import cite_named_location, outside_sample, trusted_sample
    from idpilot.ca_analysis.scenario import Scenario
    from idpilot.ca_analysis.words import WhatIfWords

    scenario = Scenario.merge(
        WhatIfWords(),
        platform=params.platform,
        ip_address=params.ip_address,
        country=_country(params.country),
        client_app=params.client_app,
        device_compliant=params.device_compliant,
        device_trust_type=TRUST_TYPES.get(params.device_joined or ""),
        sign_in_risk=params.sign_in_risk,
        user_risk=params.user_risk,
        mfa=params.mfa,
    )
    if params.city:
        _place_in_city(store, params, tenant, result, scenario)
    if params.trusted_location and not scenario.ip_address:
        sample = trusted_sample(tenant)
        if sample:
            scenario.trusted_location_id, scenario.ip_address = sample
            cite_named_location(result, tenant, sample[0], sample=sample[1])
    outside = params.outside_locations and not params.trusted_location
    if outside and not scenario.ip_address and (address := outside_sample(tenant)):
        scenario.ip_address, scenario.outside_locations = address, True
        scenario.assumptions.append(
            "network: one that no named location covers (home, a hotel or public Wi-Fi, as "
            "asked); its country is not known"
        )
    if scenario.ip_address and scenario.country is None:
        _country_of_address(store, tenant, scenario)
    if app is None:
        scenario.assumptions.append("application: not named (policies on specific apps undecided)")
    return scenario


def _country_of_address(store: Store, tenant: TenantPolicies, scenario: Scenario) -> None:
    """The country the tenant's sign-ins record for the sign-in's address (or for the named
    location it was taken from), said as an assumption; undecided when none records one."""
    from idpilot.ca_analysis.places import recorded_country

    assert scenario.ip_address
    location_id = (scenario.site_location_id or scenario.trusted_location_id or "").lower()
    location = next((loc for loc in tenant.ip_locations() if loc.id.lower() == location_id), None)
    if code := recorded_country(store, scenario.ip_address, location):
        source = f"named location {location.display_name}" if location else scenario.ip_address
        scenario.country = code
        scenario.assumptions.append(
            f"country: {code}, where the tenant's sign-ins from {source} are recorded"
        )


def _place_in_city(
    store: Store,
    params: WhatIfInput,
    tenant: TenantPolicies,
    result: SkillResult,
    scenario: Scenario,
) -> None:
    """The city's country (unless one was stated) and, from an office there, an address of
    the IP named location named after the city; what cannot be placed is said."""
    from idpilot.ca_analysis.evidence import cite_named_location, site_sample

    city = params.city
    assert city
    scenario.city = city
    if scenario.country is None:
        if code := city_country(store, city):
            scenario.country = code
            scenario.assumptions.append(
                f"country: {code}, where the tenant's sign-ins place {city}"
            )
        else:
            scenario.assumptions.append(f"country: not known for {city} (no sign-in records it)")
    if not params.at_site or scenario.ip_address:
        return
    if sample := site_sample(tenant, city):
        scenario.site_location_id, scenario.ip_address = sample
        cite_named_location(result, tenant, sample[0], sample=sample[1])
    else:
        scenario.assumptions.append(
            f"office network: no IP named location is named after {city}, so the address "
            "stays undecided"
        )


def _evaluation_facts(
    tenant: TenantPolicies,
    result: SkillResult,
    objects: ReasonObjects,
    scenario: Scenario,
    evaluation: Evaluation,
) -> dict[str, Any]:
    """The sign-in's evaluation as the facts every what-if holds (policies cited)."""
    from idpilot.ca_analysis.evidence import cite_policy
    from idpilot.ca_analysis.scenario import decided_outcome, fact_words, ordered_policies

    policies = ordered_policies(evaluation, objects)
    decided = decided_outcome(evaluation, objects)
    for policy in policies:
        cite_policy(result, tenant, policy["id"])
    missing = sorted({fact for p in policies if p["applies"] for fact in p["missing_facts"]})
    return {
        "scenario": scenario.model_dump(mode="json"),
        "outcome": str(evaluation.outcome),
        "required_controls": list(evaluation.required_controls),
        "blocking_policy_ids": list(evaluation.blocking_policy_ids),
        "decided": decided,
        "policies": policies,
        "applying": [p for p in policies if p["applies"]],
        "not_applying": [p for p in policies if not p["applies"]],
        "missing_facts": missing,
        "missing_words": [fact_words(fact) for fact in missing],
    }


def _next_steps(result: SkillResult, missing_words: list[str]) -> None:
    if missing_words:
        result.next_steps.append(
            NextStep(
                action="The outcome depends on facts the question did not give: "
                + ", ".join(missing_words)
                + ". Ask again with them (e.g. device compliance, IP or country).",
            )
        )


def _role_whatif(store: Store, params: WhatIfInput, result: SkillResult) -> SkillResult:
    """The sign-in for a hypothetical holder of the role, and for each of its holders."""
    from idpilot.ca_analysis.evidence import ReasonObjects
    from idpilot.ca_analysis.role_whatif import (
        MAX_HOLDERS_EVALUATED,
        cite_holder,
        evaluate_holders,
        outcome_groups,
        plain_holder,
        policy_brief,
        role_holders,
    )

    assert params.role is not None
    definition = _one_role(store, params.role)
    if isinstance(definition, SkillResult):
        return definition
    template = (definition["templateId"] or definition["id"]).lower()
    role_name = definition["displayName"]
    role_record = result.add_evidence(
        Record(
            kind="unifiedRoleDefinition",
            id=definition["id"],
            label=f"role {role_name}",
            fields={"displayName": role_name, "templateId": definition["templateId"]},
        )
    )
    setting = _setting(store, params, result)
    if isinstance(setting, SkillResult):
        return setting
    app, tenant, scenario = setting.app, setting.tenant, setting.scenario
    context_of = setting.context

    objects = ReasonObjects(store, tenant, result)
    plain = plain_holder(tenant, template, context_of)
    base = _evaluation_facts(tenant, result, objects, scenario, plain.evaluation)
    by_id = {p["id"]: p for p in base["policies"]}
    plain_applying = {p["id"] for p in base["applying"]}
    holders = role_holders(store, template)
    active = holders.active[:MAX_HOLDERS_EVALUATED]
    eligible = holders.eligible[:MAX_HOLDERS_EVALUATED]
    groups = outcome_groups(
        tenant, objects, result,
        [cite_holder(result, h, role_name) for h in active],
        evaluate_holders(tenant, context_of, active, template),
        plain_applying,
    )  # fmt: skip
    eligible_groups = outcome_groups(
        tenant, objects, result,
        [cite_holder(result, h, role_name) for h in eligible],
        evaluate_holders(tenant, context_of, eligible, template),
        plain_applying,
    )  # fmt: skip
    result.facts = RoleWhatIfFacts(
        user=None,
        app=app,
        **base,
        roles=None,
        role={
            "ref": f"unifiedRoleDefinition:{role_record.id}",
            "displayName": role_name,
            "templateId": template,
        },
        role_policies=[policy_brief(result, tenant, by_id[i]) for i in plain.role_policies],
        role_exempts_from=[policy_brief(result, tenant, by_id[i]) for i in plain.role_exempts_from],
        holder_count=len(holders.active),
        evaluated_count=len(active),
        holder_cap=MAX_HOLDERS_EVALUATED,
        outcome_groups=groups,
        eligible_count=len(holders.eligible),
        eligible_evaluated_count=len(eligible),
        eligible_groups=eligible_groups,
        scoped=[cite_holder(result, h, role_name) for h in holders.scoped],
        other_principals=holders.other_principals,
    )
    _next_steps(result, base["missing_words"])
    if not holders.active:
        result.next_steps.append(
            NextStep(
                action=f"No user holds {role_name} actively, so no sign-in meets its role "
                "conditions today; the answer is for someone who would hold it.",
            )
        )
    first = next((h for g in groups for h in g["holders"]), None)
    result.followups = [
        f"Who holds {role_name}?",
        *([f"What happens if {first['displayName']} signs in from a compliant device?"]
          if first and first["displayName"] else []),
        "Where are the gaps in our Conditional Access policies?",
    ]  # fmt: skip
    return result


def _someone_whatif(store: Store, params: WhatIfInput, result: SkillResult) -> SkillResult:
    """The sign-in of a hypothetical guest or member who is in no group and holds no role:
    what the policies that target all users, or guests, do to such a user."""
    from idpilot.conditional_access.directory import UserFacts

    assert params.someone is not None
    user_type = "Guest" if params.someone == "guest" else "Member"
    evaluated = _evaluated(store, params, result, principal=UserFacts(user_type=user_type))
    if isinstance(evaluated, SkillResult):
        return evaluated
    result.facts = SomeoneWhatIfFacts(
        user=None,
        app=evaluated.app,
        **evaluated.facts,
        roles=None,
        someone=f"a {params.someone} user (userType {user_type}) in no group and holding no role",
    )
    _next_steps(result, result.facts.missing_words)
    result.followups = [
        "Where are the gaps in our Conditional Access policies?",
        f"Which {'guests' if params.someone == 'guest' else 'users'} signed in recently?",
    ]
    return result


def _one_role(store: Store, reference: str) -> dict[str, Any] | SkillResult:
    """The role definition a reference names, or the notFound / ambiguous result."""
    from idpilot.skills.builtin._role_names import find_role

    found = find_role(store, reference)
    if len(found) == 1:
        return found[0]
    return SkillResult(
        skill=NAME,
        status=ResultStatus.ambiguous if found else ResultStatus.not_found,
        query=reference,
        facts=UnresolvedFacts(kind="role"),
        candidates=[
            Record(kind="unifiedRoleDefinition", id=d["id"], label=d["displayName"]) for d in found
        ],
    )


def _country(value: str | None) -> str | None:
    """An ISO code from a code or a name ("FR", "France", "the UK")."""
    return (country_code(value) or value.upper()) if value else None


def register(registry: SkillRegistry) -> None:
    """Register `ca_whatif`."""
    registry.add(
        define_skill(
            ca_whatif,
            name=NAME,
            facts=WhatIfFacts,
            reads=(
                Collection.conditional_access_policies,
                Collection.named_locations,
            ),
            keywords={
                "what if": 3.0,
                "would": 1.5,
                "be allowed": 1.5,
                "what happens if": 3.5,
                "what would happen": 3.0,
                "would happen": 2.0,
                "would be blocked": 2.5,
                "would it be blocked": 2.5,
                "would they be blocked": 2.5,
                "be blocked": 1.0,
                "whatif": 3.0,
                "which policies apply": 3.0,
                "what policies apply": 3.0,
                "policies apply": 2.0,
                "conditional access": 1.0,
                "signs in": 1.0,
                "sign in from": 1.5,
                "signs in from": 1.5,
                "unmanaged": 1.0,
                "iphone": 0.5,
                "android": 0.5,
            },
        )
    )
