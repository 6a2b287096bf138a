"""Skill `signin_summary`: how sign-ins went over a window, with the top errors, users and apps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from idpilot.logs import log_reader
from idpilot.model.collections import Collection
from idpilot.model.ranking import Rank
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import resolve_reference
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.apps import app_id_of_service_principal
from idpilot.store.queries.sign_ins import (
    FAILURE_GROUPINGS,
    SignInNarrowing,
    failing_users,
    sign_in_totals,
    top_failure_groups,
    who_signed_in,
)

NAME = "signin_summary"
TOP = 5
DEFAULT_DAYS = 1  # "how are sign-ins going?" without a window means the last day
WHO_SHOWN = 25
"""Accounts a narrowed summary lists (those that got past the password first); the answer
says how many there are in all."""
FAILING_USERS_SHOWN = 15
THRESHOLD_COUNTED = 10_000
"""Users counted at most when the question sets a number of failures (the answer's count)."""
"""Users with failures listed one by one, each with their first and latest failure cited;
the answer says how many failed in all."""


class SignInSummaryFacts(SkillFacts):
    """Sign-ins of a window (narrowed to a place, IP or app when asked): totals, the largest
    failure groups, who signed in, and each user who failed."""

    window: dict[str, Any]
    """The window summarised, as JSON (`TimeWindow`)."""
    totals: dict[str, int]
    top: dict[str, list[dict[str, Any]]]
    """Per grouping of `FAILURE_GROUPINGS`, the largest groups of failures, newest cited."""
    narrowed: dict[str, Any]
    who: list[dict[str, Any]]
    """When narrowed: the accounts that signed in (at most `WHO_SHOWN`), latest cited."""
    failing_users: list[dict[str, Any]]
    """The users with failures (at most `FAILING_USERS_SHOWN`), first and latest cited."""
    user: str | None = None
    """The one user whose sign-ins these are, when the question named one."""
    ca_blocked: bool = False
    """Only the sign-ins Conditional Access failed are counted and listed."""
    min_failures: int | None = None
    """The number of failures a user must reach to be listed, when the question set one."""
    over_threshold: int | None = None
    """How many users reached it."""
    rank: str = ""
    """The order and count asked of the users who failed ("the last 3 who failed, newest
    first"): `failing_users` are then in that order."""


class SignInSummaryInput(BaseModel):
    """The window to summarise."""

    window: TimeWindow | None = slot(
        Slot.time_window, "The window (default: the last day of the snapshot).", default=None
    )
    countries: list[str] | None = slot(
        Slot.stated, "Only sign-ins from these countries (ISO 3166 alpha-2).", default=None
    )
    cities: list[str] | None = slot(
        Slot.stated, "Only sign-ins from these cities (as recorded).", default=None
    )
    ip_address: str | None = slot(Slot.ip_address, "Only sign-ins from this IP.", default=None)
    app: str | None = slot(Slot.application, "Only sign-ins to this app.", default=None)
    user: str | None = slot(
        Slot.user,
        "Only this user's sign-ins (a person the prompt names surely).",
        default=None,
        only_sure=True,
    )
    user_type: str | None = slot(
        Slot.stated, "Only sign-ins by Member or by Guest accounts.", default=None
    )
    min_failures: int | None = slot(
        Slot.stated,
        "Only users with at least this many failed sign-ins ('more than 5 failures' is 6).",
        default=None,
    )
    ca_blocked: bool = slot(
        Slot.stated,
        "Only sign-ins Conditional Access failed ('who did CA block this morning?').",
        default=False,
    )
    rank: Rank | None = slot(
        Slot.stated,
        "The last or first users to fail, and how many ('the last 3 people to fail').",
        default=None,
    )


def signin_summary(store: Store, params: SignInSummaryInput) -> SkillResult:
    """Summarise sign-ins in a window: totals, failure rate, top errors, users, apps, countries."""
    # The catalogue's files load when it runs.
    from idpilot.knowledge import default_catalog, passed_primary_authentication_codes

    person = None
    if params.user:
        resolution = resolve_reference(store, params.user, "user")
        if resolution.match is None:
            return resolution.unresolved(NAME, "user")
        person = resolution.match
    logs = log_reader(store)
    narrowing = (
        params.countries
        or params.cities
        or params.ip_address
        or params.app
        or person
        or params.user_type
    )
    if params.window is not None:
        window = params.window
    elif narrowing and (first := logs.first_sign_in_time()):
        # "who signed in from 203.0.113.7?" asks about the whole snapshot, not the last day.
        end = store.captured_at() + timedelta(microseconds=1)
        window = TimeWindow(start=first, end=end, phrase="the whole snapshot")
    else:
        end = store.captured_at() + timedelta(microseconds=1)
        window = TimeWindow(start=end - timedelta(days=DEFAULT_DAYS), end=end, phrase="last day")
    catalog = default_catalog()
    # Interrupts (MFA prompt, keep-me-signed-in, token refresh) are steps of sign-ins that go
    # on to succeed: counted apart, never listed as failures.
    interrupts = sorted(entry.code for entry in catalog if entry.is_interrupt)
    narrowed = {
        "countries": [c.upper() for c in params.countries] if params.countries else None,
        "cities": params.cities or None,
        "ip": params.ip_address,
        "app": params.app,
        "user": person.id if person else None,
        "user_type": params.user_type,
    }
    # An app named by its service principal's id is counted by its appId: the sign-ins carry
    # that, wherever they are read.
    app = params.app and (app_id_of_service_principal(store, params.app) or params.app)
    narrowed_to = SignInNarrowing(**{**narrowed, "app": app}, ca_failed=params.ca_blocked)
    signed_in = logs.sign_ins_to_count(window.start, window.end, narrowing=narrowed_to)
    result = SkillResult(skill=NAME)
    if person is not None:
        result.add_evidence(Record(kind="user", id=person.id, label=f"user {person.label}"))
    totals = sign_in_totals(signed_in, window.start, window.end, narrowed_to, interrupts)
    # Each failing user's first and latest failure are cited first, with the user's name.
    rank = params.rank
    shown = rank.shown(FAILING_USERS_SHOWN, FAILING_USERS_SHOWN) if rank else FAILING_USERS_SHOWN
    failing = failing_users(
        signed_in,
        window.start,
        window.end,
        narrowed_to,
        interrupts,
        THRESHOLD_COUNTED if params.min_failures else shown,
        order=rank.order if rank else "failures",
        min_failures=params.min_failures or 1,
    )
    over_threshold = len(failing) if params.min_failures else None
    failing = failing[:shown]
    for row in failing:
        row["titles"] = {str(code): catalog.explain(code).title for code in row["codes"]}
        for which in ("first", "latest"):
            _cite_failure(result, row, which)
    tops: dict[str, list[dict[str, Any]]] = {}
    for name in FAILURE_GROUPINGS:
        rows = top_failure_groups(
            signed_in, name, window.start, window.end, narrowed_to, interrupts, TOP
        )
        for row in rows:
            _cite_sample(result, row)
        tops[name] = rows
    who: list[dict[str, Any]] = []
    if any(v is not None for v in narrowed.values()):
        passed = sorted(passed_primary_authentication_codes())
        who = who_signed_in(signed_in, window.start, window.end, narrowed_to, WHO_SHOWN, passed)
        for row in who:
            _cite_sample(result, row, latest=True)
    for row in tops["errors"]:
        row["title"] = catalog.explain(row["key"]).title
    result.facts = SignInSummaryFacts(
        window=window.model_dump(mode="json"),
        totals=totals,
        top=tops,
        narrowed={k: v for k, v in narrowed.items() if v is not None},
        user=person.label if person else None,
        who=who,
        failing_users=failing,
        ca_blocked=params.ca_blocked,
        min_failures=params.min_failures,
        over_threshold=over_threshold,
        rank=rank.words("blocked by Conditional Access" if params.ca_blocked else "to fail")
        if rank
        else "",
    )
    result.kql = (
        "union SigninLogs, AADNonInteractiveUserSignInLogs\n"
        f"| where TimeGenerated between (datetime({window.start:%Y-%m-%dT%H:%M:%SZ}) .. "
        f"datetime({window.end:%Y-%m-%dT%H:%M:%SZ}))\n"
        '| summarize SignIns = count(), Failures = countif(ResultType != "0") by ResultType\n'
        "| sort by SignIns desc"
    )
    if tops["errors"]:
        code = tops["errors"][0]["key"]
        result.followups.append(f"What does error {code} mean?")
    if tops["users"]:
        result.followups.append(f"Why did {tops['users'][0]['key']} fail to sign in?")
    result.followups.append("Anything suspicious in this window?")
    return result


def _cite_sample(result: SkillResult, row: dict[str, Any], *, latest: bool = False) -> None:
    what = "latest sign-in" if latest else "latest failed sign-in of the group"
    result.add_evidence(
        Record(
            kind="signIn",
            id=row["sample_id"],
            label=f"{what} ({row['upn']}, error {row['error_code']})",
            fields={
                "userPrincipalName": row["upn"],
                "userDisplayName": row.get("name"),
                "appDisplayName": row["app"],
                "errorCode": row["error_code"],
            },
        )
    )


def _cite_failure(result: SkillResult, row: dict[str, Any], which: str) -> None:
    result.add_evidence(
        Record(
            kind="signIn",
            id=row[f"{which}_id"],
            label=f"{which if row['first_id'] != row['latest_id'] else 'the'} failed sign-in "
            f"of {row['key']} in the window",
            fields={
                "userPrincipalName": row["key"],
                "userDisplayName": row["name"],
                "failedApps": row["apps"],
                "errorCodes": row["codes"],
            },
        )
    )


def register(registry: SkillRegistry) -> None:
    """Register `signin_summary`."""
    registry.add(
        define_skill(
            signin_summary,
            name=NAME,
            remote_logs=True,
            facts=SignInSummaryFacts,
            reads=(Collection.sign_ins,),
            keywords={
                "how many sign-ins": 4.0,
                "how many sign ins": 4.0,
                "how many logins": 4.0,
                "sign-ins failed": 3.0,
                "sign ins failed": 3.0,
                "failed sign-ins": 2.5,
                "failure rate": 3.5,
                "sign-in summary": 4.0,
                "sign-in statistics": 4.0,
                "sign-in stats": 4.0,
                "top errors": 3.5,
                "most common errors": 3.5,
                "top failing": 3.0,
                "how are sign-ins": 3.5,
            },
        )
    )
