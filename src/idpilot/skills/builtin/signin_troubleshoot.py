"""Skill `signin_troubleshoot`: why a user's sign-in failed, and which fix would work.

Finds the user's failed attempts (rows grouped by correlationId), skips interrupts that are a
normal step of a successful sign-in, explains the error from the catalog, re-evaluates
Conditional Access for the failing row (policy, failing condition or control), reads MFA, device
and location facts, recognises patterns (spray, lockout, MFA fatigue, legacy protocol) and proves
each proposed fix by re-evaluating the sign-in with the change.

Ambiguous names: when a name fits several users and exactly one of them has failed sign-ins in
the window (of the symptom asked about, when one is: "novak locked out?"), that user is picked
and the answer says so, citing the other candidates; otherwise the ambiguity is returned for the
admin to choose. A symptom asked about also picks the failure explained: the latest that shows
it, not merely the latest.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from idpilot.knowledge.sign_in_errors import ErrorCategory, default_catalog
from idpilot.logs import LogReader, log_reader
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import (
    NextStep,
    ResultStatus,
    SkillFacts,
    SkillResult,
    Slot,
    define_skill,
    slot,
)
from idpilot.skills.builtin._account_changes import LOCKED_CODES, failure_links
from idpilot.skills.builtin._audit_facts import FailureLinks
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import Resolution, resolve
from idpilot.store import Store
from idpilot.store.directory import user_by_id
from idpilot.store.lookup import EntityMatch
from idpilot.store.queries.apps import app_id_of_service_principal

NAME = "signin_troubleshoot"
OTHER_ATTEMPTS_SHOWN = 5
INTERRUPTS_SHOWN = 3
SUCCESS_IPS_CHECKED = 20
"""Distinct IPs of recent successful sign-ins checked for spraying when nothing failed."""


class Symptom(StrEnum):
    """What a user ran into, in the words of the question ("locked out", "keeps asking for the
    code"): the failures of that kind answer it."""

    lockout = "lockout"
    mfa = "mfa"
    policy = "policy"
    location = "location"
    device = "device"


_SYMPTOM_CATEGORIES: dict[Symptom, frozenset[ErrorCategory]] = {
    Symptom.mfa: frozenset({ErrorCategory.mfa}),
    Symptom.policy: frozenset({ErrorCategory.conditional_access}),
    Symptom.location: frozenset({ErrorCategory.conditional_access, ErrorCategory.network}),
    Symptom.device: frozenset({ErrorCategory.device}),
}


def shows_symptom(symptom: Symptom, codes: list[int]) -> bool:
    """Whether an attempt with these error codes shows the symptom (a lockout is its code; the
    others are the catalog's categories)."""
    if symptom is Symptom.lockout:
        return bool(LOCKED_CODES & set(codes))
    catalog = default_catalog()
    categories = _SYMPTOM_CATEGORIES[symptom]
    return any(
        (entry := catalog.get(code)) is not None
        and entry.curated is not None
        and entry.curated.category in categories
        for code in codes
    )


class TroubleshootInput(BaseModel):
    """Whose sign-in failed, and optionally where, when and how."""

    user: str = slot(Slot.user, "The user: object id, userPrincipalName or display name.")
    app: str | None = slot(Slot.application, "The application (name or appId).", default=None)
    window: TimeWindow | None = slot(Slot.time_window, "When the failure happened.", default=None)
    correlation_id: str | None = slot(
        Slot.correlation_id, "The correlationId of one attempt.", default=None
    )
    error_code: int | None = slot(Slot.error_code, "An AADSTS error code.", default=None)
    symptom: Symptom | None = slot(
        Slot.stated,
        "What the user ran into, when the question says: a lockout, MFA prompts, a policy "
        "block, a location or a device requirement.",
        default=None,
    )


class NamedRef(SkillFacts):
    """A user or app the answer names: its evidence reference (or id) and display name."""

    id: str | None
    displayName: str | None


class AttemptFact(SkillFacts):
    """One sign-in attempt (its rows share a correlationId), its sign-ins cited."""

    correlation_id: str
    codes: list[int]
    """The error code of each row, in order (0 for success)."""
    sign_in_ids: list[str]
    when: datetime
    app: str | None
    error_code: int | None
    title: str
    """The catalog's title of the last row's error."""
    ip: str | None = None
    place: str | None = None
    """City and country of the last row, as the sign-in log located it."""


class TroubleshootFacts(SkillFacts):
    """Why a user's sign-in failed: the latest failure explained, the others, the account's
    changes around them; or, when nothing failed, a success from a spraying IP."""

    user: NamedRef
    chosen_from_ambiguous: list[NamedRef]
    chosen_by_symptom: Symptom | None = None
    """The symptom that told the ambiguous candidates apart (only one was locked out)."""
    window: dict[str, Any] | None
    """The time window asked about, as JSON (`TimeWindow`)."""
    in_window: bool
    app: NamedRef | None
    app_without_failures: bool = False
    """Nothing failed to the app asked about; the failures shown are to other apps."""
    interrupts: list[AttemptFact]
    primary: dict[str, Any] | None
    """The latest failure explained (`ca_analysis.failed_attempt.explain_attempt`): error,
    Conditional Access, MFA, device, location, patterns and proven fixes."""
    other_failures: list[AttemptFact]
    no_failures: bool = False
    spray_success: dict[str, Any] | None = None
    """A success from an IP that sprayed many accounts (`sign_in_patterns.password_spray`,
    its sign-ins cited), when nothing failed."""
    failed_attempts: int | None = None
    account_changes: FailureLinks | None = None
    since_then: AttemptFact | None = None
    """The first successful sign-in to the same app after the failure explained (is it fixed?)."""
    failing_since: bool = False
    """No successful sign-in to that app after the failure, in the snapshot."""
    window_successes: list[AttemptFact] = Field(default_factory=list)
    """When nothing failed in the window asked about: the sign-ins that succeeded in it (the
    latest few), so "which policy blocked him on Tuesday?" hears that nothing did."""
    window_success_count: int = 0


def signin_troubleshoot(store: Store, params: TroubleshootInput) -> SkillResult:
    """Explain why a user's sign-in failed and prove which fixes would let it through."""
    from idpilot.ca_analysis.attempts import attempt_facts, group_attempts
    from idpilot.ca_analysis.evidence import cite_user
    from idpilot.ca_analysis.failed_attempt import explain_attempt
    from idpilot.ca_analysis.tenant_policies import TenantPolicies

    logs = log_reader(store)
    resolution = resolve(store, params.user, "user")
    chosen_from: list[dict[str, Any]] = []
    chosen_by: Symptom | None = None
    if resolution.match is None:
        picked = _pick_candidate(store, logs, resolution, params)
        if picked is None:
            return resolution.unresolved(NAME, "user")
        resolution, chosen_from, chosen_by = picked
    assert resolution.match is not None
    user = user_by_id(store, resolution.match.id)
    assert user is not None
    result = SkillResult(skill=NAME, query=params.user if chosen_from else "")
    app_id, app_fact = _app(store, logs, params.app, result, user["id"], params)
    user_ref = cite_user(result, user)
    for other in chosen_from:
        cite_user(result, other)
    rows = _rows(logs, user["id"], app_id, params, windowed=True)
    attempts = group_attempts(rows)
    failures = [a for a in attempts if a["failed"]]
    if params.error_code is not None:
        failures = [a for a in failures if params.error_code in a["codes"]]
    in_window = bool(failures)
    app_without_failures = False
    if not failures and app_id is not None:
        # "the mail app on her phone": no failure to the app the words fit, but failures to
        # another app in the window are what the admin is asking about.
        rows_any = _rows(logs, user["id"], None, params, windowed=True)
        attempts_any = group_attempts(rows_any)
        others = [a for a in attempts_any if a["failed"]]
        if params.error_code is not None:
            others = [a for a in others if params.error_code in a["codes"]]
        if others:
            rows, attempts, failures = rows_any, attempts_any, others
            in_window = app_without_failures = True
    if not failures and (params.window is not None):
        older = group_attempts(_rows(logs, user["id"], app_id, params, windowed=False))
        failures = [a for a in older if a["failed"]]
        if params.error_code is not None:
            failures = [a for a in failures if params.error_code in a["codes"]]
        failures = failures[-1:]
    interrupts = [a for a in attempts if a["interrupt_then_success"]]
    succeeded = [] if in_window else [a for a in attempts if not a["failed"]]
    facts = TroubleshootFacts(
        user=NamedRef(id=user_ref, displayName=user.get("displayName")),
        chosen_from_ambiguous=[
            NamedRef(id=o["id"], displayName=o.get("displayName")) for o in chosen_from
        ],
        chosen_by_symptom=chosen_by,
        window=params.window.model_dump(mode="json") if params.window else None,
        in_window=in_window,
        app=app_fact,
        app_without_failures=app_without_failures,
        interrupts=[attempt_facts(result, a) for a in interrupts[-INTERRUPTS_SHOWN:]],
        primary=None,
        other_failures=[],
    )
    result.facts = facts
    facts.window_success_count = len(succeeded)
    facts.window_successes = [
        AttemptFact(**attempt_facts(result, a)) for a in succeeded[::-1][:SUCCESSES_SHOWN]
    ]
    if not failures:
        result.status = ResultStatus.ok
        facts.no_failures = True
        facts.spray_success = _success_from_spraying_ip(logs, result, rows)
        if facts.spray_success:
            result.next_steps.append(
                NextStep(
                    action="Treat the account as compromised: reset its credentials, revoke "
                    "sessions, review what it did, and bring it under MFA.",
                    evidence_ids=[facts.spray_success["success_sign_in_id"]],
                )
            )
        result.followups = _followups(user)
        return result
    primary, *_ = failures[::-1]
    if params.symptom is not None:
        showing = [a for a in failures if shows_symptom(params.symptom, a["codes"])]
        primary = showing[-1] if showing else primary
    tenant = TenantPolicies.load(store)
    facts.primary = explain_attempt(store, result, tenant, user, primary, rows, logs)
    facts.other_failures = [
        AttemptFact(**attempt_facts(result, a))
        for a in failures[::-1][1 : 1 + OTHER_ATTEMPTS_SHOWN]
    ]
    facts.failed_attempts = len(failures)
    if (later := _first_success_after(logs, user["id"], primary)) is not None:
        facts.since_then = AttemptFact(**attempt_facts(result, later))
    else:
        facts.failing_since = True
    facts.account_changes = _account_changes(store, logs, user["id"], failures, result)
    result.next_steps = _next_steps(facts.primary)
    result.followups = _followups(user)
    return result


SUCCESSES_SHOWN = 5
"""Successful attempts shown when nothing failed in the window asked about."""


def _first_success_after(
    logs: LogReader, user_id: str, failure: dict[str, Any]
) -> dict[str, Any] | None:
    """The user's first successful attempt to the failed app after `failure`, in the logs."""
    from idpilot.ca_analysis.attempts import group_attempts

    last = failure["last"]
    after = logs.user_sign_ins(user_id, last["appId"], None, last["createdDateTime"], None)
    later = [r for r in after if r["createdDateTime"] > last["createdDateTime"]]
    return next((a for a in group_attempts(later) if not a["failed"]), None)


def _account_changes(
    store: Store,
    logs: LogReader,
    user_id: str,
    failures: list[dict[str, Any]],
    result: SkillResult,
) -> FailureLinks:
    """The audit events that explain the failures (who disabled the account, the reset after
    a lockout, a method or group change before) and the account's changes around them."""
    latest = failures[-1]["last"]["createdDateTime"]
    codes = {code for attempt in failures for code in attempt["codes"] if code}
    times = [attempt["last"]["createdDateTime"] for attempt in failures]
    return failure_links(store, user_id, latest, codes, times, result, logs)


def _success_from_spraying_ip(
    logs: LogReader, result: SkillResult, rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """A successful sign-in of the user from an IP that sprayed many accounts (compromise)."""
    from idpilot.ca_analysis.evidence import cite_sign_in
    from idpilot.ca_analysis.sign_in_patterns import password_spray

    seen: set[str] = set()
    for row in reversed(rows):
        ip = row["ipAddress"]
        if (row["errorCode"] or 0) != 0 or not ip or ip in seen:
            continue
        seen.add(ip)
        if len(seen) > SUCCESS_IPS_CHECKED:
            break
        spray = password_spray(logs, ip, row["createdDateTime"])
        if spray:
            spray["sign_in_ids"] = [cite_sign_in(result, r) for r in spray.pop("sign_ins")]
            spray["success_sign_in_id"] = cite_sign_in(result, row)
            return spray
    return None


def _pick_candidate(
    store: Store, logs: LogReader, resolution: Resolution, params: TroubleshootInput
) -> tuple[Resolution, list[dict[str, Any]], Symptom | None] | None:
    """The one ambiguous candidate with failed sign-ins in the window (of the symptom asked
    about, first), if exactly one has, and the symptom when that told them apart."""
    from idpilot.ca_analysis.attempts import group_attempts

    if len(resolution.candidates) < 2:
        return None

    def failing(app_ids: list[str | None], symptom: Symptom | None = None) -> list[EntityMatch]:
        return [
            candidate
            for candidate in resolution.candidates
            if any(
                a["failed"] and (symptom is None or shows_symptom(symptom, a["codes"]))
                for app_id in app_ids
                for a in group_attempts(_rows(logs, candidate.id, app_id, params, windowed=True))
            )
        ]

    # "Priya says Teams keeps kicking her out": the Priya whose Teams sign-ins failed, else the
    # one whose sign-ins failed at all in the window; "novak locked out?": the Novak locked out.
    app_ids = _app_ids(store, params.app) if params.app else [None]
    with_failures = failing(app_ids, params.symptom) if params.symptom else []
    chosen_by = params.symptom if len(with_failures) == 1 else None
    if len(with_failures) != 1 and params.app:
        with_failures = failing(app_ids)
    if len(with_failures) != 1:
        with_failures = failing([None])
    if len(with_failures) != 1:
        return None
    chosen = with_failures[0]
    others = [user_by_id(store, c.id) for c in resolution.candidates if c.id != chosen.id]
    return Resolution(resolution.reference, match=chosen), [o for o in others if o], chosen_by


def _app_ids(store: Store, app: str) -> list[str | None]:
    """The appIds a name may mean (every app it fits equally well)."""
    resolution = resolve(store, app, "servicePrincipal")
    matches = [resolution.match] if resolution.match else resolution.candidates
    return [app_id_of_service_principal(store, m.id) or m.id for m in matches]


def _app(
    store: Store,
    logs: LogReader,
    app: str | None,
    result: SkillResult,
    user_id: str,
    params: TroubleshootInput,
) -> tuple[str | None, NamedRef | None]:
    """The appId to filter sign-ins on, and the app as a cited fact (None when not asked).

    A name that fits several apps ('Teams': Microsoft Teams, Microsoft Teams Services) means
    the one the user has failed sign-ins to in the window (else any sign-in, else ever)."""
    if not app:
        return None, None
    resolution = resolve(store, app, "servicePrincipal")
    match = resolution.match or _app_the_user_used(logs, resolution, user_id, params)
    if match is None:  # an appId or a name the snapshot does not know
        return app, NamedRef(id=None, displayName=app)
    app_id = app_id_of_service_principal(store, match.id) or app
    result.add_evidence(
        Record(
            kind="servicePrincipal",
            id=match.id,
            label=f"servicePrincipal {match.label}",
            fields={"displayName": match.label, "appId": app_id},
        )
    )
    return app_id, NamedRef(id=match.id, displayName=match.label)


def _app_the_user_used(
    logs: LogReader, resolution: Resolution, user_id: str, params: TroubleshootInput
) -> EntityMatch | None:
    """Of the apps an ambiguous name fits, the only one the user failed to sign in to in the
    window; else the only one they signed in to at all, in the window and then ever."""
    if len(resolution.candidates) < 2:
        return None
    by_app_id = {c.detail: c for c in resolution.candidates if c.detail}
    for windowed in (True, False):
        rows = [r for r in _rows(logs, user_id, None, params, windowed) if r["appId"] in by_app_id]
        for wanted in ([r for r in rows if r["errorCode"]], rows):
            used = {r["appId"] for r in wanted}
            if len(used) == 1:
                return by_app_id[used.pop()]
    return None


def _rows(
    logs: LogReader, user_id: str, app_id: str | None, params: TroubleshootInput, windowed: bool
) -> list[dict[str, Any]]:
    window = params.window if windowed else None
    return logs.user_sign_ins(
        user_id,
        app_id,
        params.correlation_id,
        window.start if window else None,
        window.end if window else None,
    )


def _next_steps(primary: dict[str, Any]) -> list[NextStep]:
    steps = []
    evidence = [primary["sign_in_id"]]
    patterns = primary["patterns"]
    if "password_spray" in patterns:
        steps.append(
            NextStep(
                action="Block the spraying IP (named location + block policy), check the "
                "targeted accounts for any success from it, and make sure they all have MFA.",
                evidence_ids=patterns["password_spray"]["sign_in_ids"],
            )
        )
    if "mfa_fatigue" in patterns:
        steps.append(
            NextStep(
                action="Treat repeated MFA prompts as a possible compromise: reset the password, "
                "revoke sessions, and enable number matching / move to phishing-resistant MFA.",
                evidence_ids=patterns["mfa_fatigue"]["sign_in_ids"],
            )
        )
    safe = [f for f in primary["fixes"] if f["allowed"] and not f["weakens_security"]]
    if safe:
        steps.append(
            NextStep(
                action=f"Have the user sign in {safe[0]['description']}: the engine shows the "
                "sign-in would then be allowed.",
                evidence_ids=evidence,
            )
        )
    for fix in primary["explanation"].get("fix") or ():
        steps.append(NextStep(action=fix, evidence_ids=evidence))
    return steps


def _followups(user: dict[str, Any]) -> list[str]:
    name = user.get("displayName") or user["id"]
    return [
        f"What happens if {name} signs in from a compliant device?",
        f"Tell me about {name}",
        "Where are the gaps in our Conditional Access policies?",
    ]


def register(registry: SkillRegistry) -> None:
    """Register `signin_troubleshoot`."""
    registry.add(
        define_skill(
            signin_troubleshoot,
            name=NAME,
            remote_logs=True,
            facts=TroubleshootFacts,
            reads=(
                Collection.sign_ins,
                Collection.conditional_access_policies,
            ),
            keywords={
                "fail to sign in": 3.0,
                "failed to sign in": 3.0,
                "fails to sign in": 3.0,
                "failing to sign in": 3.0,
                "can't sign in": 3.0,
                "cannot sign in": 3.0,
                "can't log in": 3.0,
                "cannot log in": 3.0,
                "couldn't sign in": 3.0,
                "could not sign in": 3.0,
                "unable to sign in": 3.0,
                "sign-in failure": 3.0,
                "sign-in failures": 3.0,
                "sign in failure": 3.0,
                "failed sign-in": 3.0,
                "failed sign-ins": 3.0,
                "failed sign in": 3.0,
                "failed login": 3.0,
                "locked out": 2.5,
                "lockout": 2.5,
                "blocked": 1.5,
                "troubleshoot": 2.5,
                "why did": 1.0,
                "why can't": 2.0,
                "failing": 2.0,
                "sign-ins failing": 3.0,
                "why are": 0.5,
                "why cannot": 2.0,
                "why is": 0.5,
                "not able to": 1.5,
                "unable to": 1.5,
                "sign in": 0.5,
                "sign-in": 0.5,
                "error": 1.0,
                "aadsts": 2.0,
                "mfa prompts": 2.0,
                "denied": 1.0,
                "correlation": 1.5,
            },
        )
    )
