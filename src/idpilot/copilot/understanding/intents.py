"""What an admin can ask for: the intents, the skill that answers each, and what each needs.

An intent is a kind of question ("why did this user fail to sign in?"); most are answered by
the skill of the same name. Some are capabilities idpilot does not have yet (they get an
honest "not yet", never another question's answer), and two are not about the tenant at all
(`help`: what idpilot can do; `out_of_scope`: anything else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Need(StrEnum):
    """A kind of object or value an intent cannot be answered without."""

    user = "user"
    group = "group"
    application = "servicePrincipal"
    role = "unifiedRoleDefinition"
    error_code = "errorCode"


class Availability(StrEnum):
    """Whether idpilot can answer an intent today."""

    skill = "skill"  # a skill answers it
    not_yet = "notYet"  # a capability on the roadmap: answered with what exists instead
    help = "help"  # about idpilot itself
    out_of_scope = "outOfScope"  # not about identity and access in this tenant


@dataclass(frozen=True)
class IntentSpec:
    """One intent: its name, the skill that answers it, and what it needs."""

    name: str
    availability: Availability = Availability.skill
    skill: str | None = None
    needs: tuple[Need, ...] = ()
    """Every one of these must be named (or pointed back at) for the intent to run."""
    any_of: tuple[Need, ...] = ()
    """At least one of these must be named."""
    takes: frozenset[str] = field(default_factory=frozenset)
    """Kinds of named objects that make this intent more likely."""
    hypothetical: bool = False
    """Answers "what if ...?" and "would ...?" questions about a sign-in that has not happened."""
    requires_stated: str | None = None
    """A stated value without which the prompt is not this intent ("draft a job ad" is no
    policy draft): the plan refuses it as out of scope."""

    @property
    def answered_by(self) -> str | None:
        """The skill that answers the intent, if any."""
        if self.availability is not Availability.skill:
            return None
        return self.skill or self.name


def _spec(
    name: str,
    *needs: Need,
    any_of: tuple[Need, ...] = (),
    takes: str = "",
    hypothetical: bool = False,
) -> IntentSpec:
    return IntentSpec(
        name=name,
        needs=needs,
        any_of=any_of,
        takes=frozenset(takes.split()),
        hypothetical=hypothetical,
    )


INTENTS: dict[str, IntentSpec] = {
    spec.name: spec
    for spec in (
        _spec("user_details", Need.user, takes="user"),
        _spec("group_details", Need.group, takes="group"),
        _spec(
            "signin_troubleshoot",
            Need.user,
            takes="user servicePrincipal errorCode ip place window",
        ),
        _spec("explain_error", Need.error_code, takes="errorCode window"),
        _spec("signin_summary", takes="servicePrincipal ip place window"),
        _spec(
            "ca_whatif",
            any_of=(Need.user, Need.role),
            takes="user servicePrincipal ip conditionalAccessPolicy place",
            hypothetical=True,
        ),
        _spec("ca_coverage", takes="conditionalAccessPolicy"),
        _spec("policy_changes", takes="conditionalAccessPolicy window"),
        _spec("lifecycle_workflows", takes="user window"),
        _spec("list_users", takes="department window"),
        _spec("list_groups"),
        _spec("membership_path", Need.user, Need.group, takes="user group"),
        _spec("group_rule", Need.group, takes="group"),
        _spec("role_holders", takes="unifiedRoleDefinition"),
        _spec("user_roles", Need.user, takes="user unifiedRoleDefinition"),
        _spec("app_details", Need.application, takes="servicePrincipal"),
        _spec("audit_history", takes="user group servicePrincipal conditionalAccessPolicy window"),
        _spec("who_changed", takes="user group unifiedRoleDefinition window"),
        _spec("tenant_changes", takes="window"),
        _spec(
            "actor_activity",
            any_of=(Need.user, Need.application),
            takes="user servicePrincipal window",
        ),
        _spec("detect_threats", takes="ip place window"),
        _spec("risky_user_summary", Need.user, takes="user"),
        _spec("risky_users"),
        _spec("workload_identity_risk", takes="servicePrincipal"),
        _spec("posture_assessment"),
        _spec("docs_answer"),
        IntentSpec(name="kql", skill="kql_tables"),
        IntentSpec(name="policy_draft", requires_stated="drafted_policy"),
        _spec("report", takes="user window"),
        IntentSpec(name="script_analysis"),
        IntentSpec(name="help", availability=Availability.help),
        IntentSpec(name="out_of_scope", availability=Availability.out_of_scope),
    )
}


DETAIL_OF: dict[str, str] = {
    "risky_users": "risky_user_summary",
    "list_users": "user_details",
    "list_groups": "group_details",
    "role_holders": "user_details",
    "workload_identity_risk": "app_details",
}
"""The intent that tells more about one item of a list intent's answer ("the top one")."""
LIST_OF: dict[str, str] = {
    "risky_user_summary": "risky_users",
    "user_details": "list_users",
    "group_details": "list_groups",
    "signin_troubleshoot": "signin_summary",
    "app_details": "workload_identity_risk",
}
"""The intent that asks a one-object question of many ("is anybody flagged as risky?")."""
COVERS: dict[str, frozenset[tuple[str, str]]] = {
    # A failed sign-in's answer links the account's audit events around it (who disabled the
    # account, the password reset after a lockout) and says its state and whether it got in.
    "signin_troubleshoot": frozenset(
        {
            ("audit_history", "account_disabled"),
            ("audit_history", "password_resets"),
            ("audit_history", "changes"),
            ("user_details", "account_status"),
            ("user_details", "last_sign_in"),
        }
    ),
}
"""Readings whose answer another intent's answer includes: when idpilot is unsure between them,
that intent answers all of them instead of asking which was meant."""
DESCRIBING = frozenset({"user_details", "group_details", "app_details"})
"""Intents that describe an object in general ("tell me more about ...")."""


FACET_SKILLS: dict[tuple[str, str], str] = {("kql", "write_query"): "kql_write"}
"""Facets answered by another skill than their intent's: a request for a query is written."""


def skill_of(intent: str, facet: str | None = None) -> str:
    """The skill that answers an intent (and facet): a facet's own skill, else the intent's,
    else the intent is a plugin skill's own name."""
    if (skill := FACET_SKILLS.get((intent, facet or ""))) is not None:
        return skill
    spec = INTENTS.get(intent)
    return (spec.answered_by if spec else None) or intent


def intent_of_skill(skill: str) -> str | None:
    """The intent a skill answers (None for a skill no intent names, e.g. a plugin's)."""
    for (intent, _), facet_skill in FACET_SKILLS.items():
        if facet_skill == skill:
            return intent
    for spec in INTENTS.values():
        if spec.answered_by == skill:
            return spec.name
    return None


_DETECTIONS = {
    "password_spray": "passwordSpray",
    "brute_force": "bruteForce",
    "lockout": "bruteForce",
    "impossible_travel": "impossibleTravel",
    "mfa_fatigue": "mfaFatigue",
    "legacy_auth": "legacyAuthentication",
    "anonymizer": "anonymizerSignIn",
    "role_outside_pim": "privilegedRoleOutsidePim",
    "consent": "highPrivilegeConsent",
    "app_credentials": "privilegedServicePrincipalCredential",
    "security_info_change": "securityInfoFromNewLocation",
}
FACET_VALUES: dict[tuple[str, str], dict[str, object]] = {
    **{
        ("detect_threats", facet): {"focus": [detection]}
        for facet, detection in _DETECTIONS.items()
    },
    ("explain_error", "occurrences"): {"focus": "occurrences"},
    ("lifecycle_workflows", "versions"): {"focus": "versions"},
    ("lifecycle_workflows", "runs"): {"focus": "runs"},
    ("who_changed", "added"): {"change": "added"},
    ("who_changed", "removed"): {"change": "removed"},
    **{
        ("signin_troubleshoot", facet): {"symptom": symptom}
        for facet, symptom in (
            ("lockout", "lockout"),
            ("repeated_mfa", "mfa"),
            ("blocked_by_policy", "policy"),
            ("location", "location"),
            ("device", "device"),
        )
    },
}
"""Typed inputs a facet implies: "did anyone spray passwords?" focuses on the spray, "who
removed ...?" puts removals first, "why is X locked out?" explains the lockout."""
