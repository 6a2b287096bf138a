"""Typed values a prompt states besides names: list filters, capabilities, audit activities.

Skills never read the prompt: the understanding layer reads these once, and the planner
passes each to the skill input field of the same name (fields tagged `Slot.stated`). A value
the prompt states that the chosen skill has no field for, or a condition no reader here
understood, is reported as not applied, never dropped silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from idpilot.copilot.time_phrases import TimeWindow
from idpilot.copilot.understanding._slot_report import report_values
from idpilot.copilot.understanding.filters import (
    CONDITION,
    DEFAULT_INACTIVE_DAYS,
    EXCEPTION,
    read_group_filters,
    read_user_filters,
)
from idpilot.copilot.understanding.named_workflows import workflow_named
from idpilot.copilot.understanding.populations import POPULATION, read_population
from idpilot.copilot.understanding.ranking import min_failures, read_rank
from idpilot.copilot.understanding.slots import PromptSlots, extract_slots
from idpilot.knowledge.licences import licences_said
from idpilot.knowledge.role_capabilities import roles_able_to
from idpilot.store import Store
from idpilot.store.audit_activities import activities_named
from idpilot.store.directory import departments, sign_in_cities

_PRIVILEGED_IN_GENERAL = re.compile(
    r"\b(?:privileged|admin|administrative) (?:roles|accounts|users|admins|administrators|"
    r"identities|access)\b|\brole[- ]holders\b"
    r"|\b(?:an?|any|which|what)\s+(?:(?:active|eligible|standing|permanent|current)\s+)?"
    r"(?:privileged|admin|administrative)\s+role\b(?!\s+admin)"
    r"|\bwho(?:'s| is| are)? (?:an? )?admins?\b|\ball (?:the )?admins\b"
    r"|\b(?:which|what|the|our|any|how many)\s+(?:of (?:the|our) )?(?:admins|administrators)\b"
    r"(?!\s+(?:role|group|unit|portal|center|centre|consent)s?\b)"
    r"|\bany\s+(?:admin|administrator)\b(?!\s+(?:role|group|unit|portal|center|centre|consent)s?\b)",
    re.I,
)
_WORKFLOW_CATEGORIES = {
    "joiner": re.compile(
        r"\b(joiners?|onboard\w*|new (?:hires?|starters?|employees?)|starters?|pre-?hire)\b", re.I
    ),
    "mover": re.compile(
        r"\b(movers?|job changes?|transfers?"
        r"|(?:chang|switch|mov)\w*\s+(?:to\s+(?:an?other\s+)?)?"
        r"(?:departments?|roles?|jobs?|teams?|positions?)"
        r"|(?:department|role|job) (?:changes?|moves?))\b",
        re.I,
    ),
    "leaver": re.compile(
        r"\b(leavers?|offboard\w*|terminat\w*|departures?|people (?:who )?leav\w*|exits?)\b", re.I
    ),
}
PRIVILEGED_PHRASE = re.compile(r"\b(?:privileged|admin|administrative) roles?\b", re.I)
# What-if words the slot parsers do not cover: where from, MFA done, whose risk.
TRUSTED_WORDS = ("trusted location", "trusted network", "the office", "office network", "hq",
                 "headquarters", "corporate network")  # fmt: skip
OUTSIDE_WORDS = ("from home", "at home", "home network", "home wifi", "home wi-fi", "a hotel",
                 "the hotel", "coffee shop", "a cafe", "the airport", "public wifi",
                 "public wi-fi", "off-network", "off network", "outside the office",
                 "outside the corporate network", "off the vpn", "not on the vpn")  # fmt: skip
"""Where from, when it is no named location: an address the tenant does not know."""
MFA_DONE_WORDS = ("with mfa", "after mfa", "completes mfa", "completed mfa", "does mfa",
                  "passes mfa")  # fmt: skip
_SOME_GUEST = re.compile(
    r"\b(?:a|an|any|some)\s+(?:b2b\s+|external\s+)?(?:guest|external)"
    r"(?:\s+(?:user|account|collaborator))?\b"
)
"""A hypothetical guest ("would a guest signing in to ... be blocked?")."""
_SOME_MEMBER = re.compile(
    r"\b(?:a|an|any)\s+(?:normal|regular|ordinary|standard|plain|typical)\s+"
    r"(?:user|member|employee|staff member)\b"
)
"""A hypothetical member with nothing special ("would a regular user need MFA ...?")."""
_USER_RISK = re.compile(
    r"\b(low|medium|high)[- ]user[- ]risk\b|\buser risk (?:is )?(low|medium|high)"
)
_RISK_ORDER = ["low", "medium", "high"]
_RISK_CLOSED = (
    (
        "self_remediated",
        re.compile(
            r"\b(?:self[- ]?remediat\w*|(?:cleared|closed|fixed|remediated|resolved)\s+"
            r"(?:their|there|thier|his|her)\s+own\s+risk|secure(?:d)?\s+password\s+(?:reset|change)"
            r"|(?:clear|close|fix|resolve|remediate)[sd]?\s+(?:that|it|this|the\s+risk|their\s+risk)"
            r"\s+(?:themselves|himself|herself|on\s+their\s+own))",
            re.I,
        ),
    ),
    ("dismissed", re.compile(r"\bdismiss(?:ed|al|es)?\b", re.I)),
    ("confirmed_compromised", re.compile(r"\bconfirmed\s+(?:as\s+)?compromised\b", re.I)),
    ("remediated", re.compile(r"\bremediated\b", re.I)),
)
"""How a user's risk was closed, as admins say it (first match wins)."""
_SET_ASIDE = re.compile(
    r"\b(?:not|n['’]t|never|skip\w*|except\w*|excluding|without|other\s+than|ignor\w*|"
    r"leave\s+out|apart\s+from|yet\s+to\s+be)\b(?:\s+\w+){0,4}\s*[/(]?\s*\w*\W*$",
    re.I,
)
"""Words before "dismissed" or "remediated" that set such users aside rather than ask for
them."""
_RISK_CHANGED = re.compile(
    r"\b(?:became|become|becoming|flagged|turned|went|marked|newly)\b(?:\s+\w+){0,3}\s+"
    r"(?:risky|at\s+risk|high|medium|low)\b|\bnew\s+risky\b|\bflagged\b",
    re.I,
)
"""The risk asked about changed in the window the prompt states ("who became risky this
week"), rather than the window being when to act ("to deal with today")."""
_CA_BLOCKED = re.compile(
    r"\b(?:conditional\s+access|ca)\s+(?:polic(?:y|ies)\s+)?(?:blocked|stopped|denied|"
    r"rejected)\b|\b(?:blocked|stopped|denied)\s+by\s+(?:a\s+|the\s+)?(?:conditional\s+access|"
    r"ca)\b",
    re.I,
)
"""Sign-ins Conditional Access failed ("the last 3 people CA blocked"), not every failure."""
_RISK_WORDS = re.compile(r"\b(?:risk\w*|flagged|identity\s+protection|compromised)\b", re.I)
LIST_FILTERS = frozenset(
    [
        *("user_type", "account_enabled", "has_licences", "never_signed_in", "inactive_days"),
        *("created_in_window", "department", "synced", "mfa_registered", "sms_only"),
        "weak_mfa",
        *("role_assignable", "ownerless", "empty", "with_guests", "dynamic", "unified"),
        *("cities", "countries", "levels", "privileged", "capabilities", "reports_to"),
        *("service_accounts", "risk_closed", "order", "department_excluded", "break_glass"),
        "rank",
        "ca_blocked",
        "min_failures",
    ]
)
"""Fields that filter a list (of users, groups, role holders, sign-ins, risky users)."""
GROUP_FILTERS = {"role_assignable", "ownerless", "empty", "with_guests", "dynamic", "unified"}
ANY_LIST_FILTERS = {"rank"}
"""Filters of a list of any kind of object (the last 3 groups as well as the last 3 users)."""
# How each stated value reads in "I could not apply ...".
VALUE_WORDS = {
    "user_type": "the user type",
    "account_enabled": "enabled or disabled",
    "has_licences": "licences",
    "never_signed_in": "never signed in",
    "inactive_days": "inactivity",
    "created_in_window": "creation date",
    "department": "the department",
    "department_excluded": "outside the department",
    "break_glass": "emergency access (break-glass) accounts",
    "synced": "synchronised from on-premises",
    "mfa_registered": "MFA registration",
    "sms_only": "only SMS or phone as MFA method",
    "weak_mfa": "weak MFA (none, or only SMS or phone)",
    "service_accounts": "service accounts",
    "risk_closed": "how the risk was closed",
    "order": "when each was first flagged",
    "rank": "the order and count asked (first or last)",
    "ca_blocked": "blocked by Conditional Access",
    "min_failures": "a number of failed sign-ins",
    "privileged": "holding an admin role",
    "reports_to": "reporting to a manager",
    "licence_skus": "the licence",
    "role_assignable": "role-assignable",
    "ownerless": "without owners",
    "empty": "without members",
    "with_guests": "with guests",
    "dynamic": "dynamic membership",
    "unified": "Microsoft 365 groups",
    "cities": "the city",
}


@dataclass
class Stated:
    """What a prompt states, by the skill input field it fills."""

    values: dict[str, Any] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)
    place_words: set[str] = field(default_factory=set)
    """Words read as a place the sign-in comes from ("the office"), not as an object's name."""
    """Condition phrases ("with a compliant laptop") that no reader understood."""

    def with_values(self, extra: dict[str, Any]) -> Stated:
        """These values plus `extra` (what a facet implies), the prompt's own winning."""
        if not extra:
            return self
        return Stated(
            values={**extra, **self.values},
            conditions=self.conditions,
            place_words=self.place_words,
        )

    def unapplied(self, accepted: set[str]) -> list[str]:
        """What the prompt states that a skill taking `accepted` fields cannot apply.

        Only filters of the kind of object the skill lists count: "guests" is a user filter
        to a list of users and a group filter to a list of groups, not both.
        """
        family = GROUP_FILTERS if accepted & GROUP_FILTERS else set(VALUE_WORDS) - GROUP_FILTERS
        family = family | ANY_LIST_FILTERS
        accepted = self.applied_by(accepted)
        return [VALUE_WORDS[k] for k in self.values if k in family and k not in accepted]

    def applied_by(self, accepted: set[str]) -> set[str]:
        """The stated values a skill taking `accepted` fields applies: its own, and a disabled
        account when it reads the audit activity that disabled it ("who disabled her
        account?")."""
        if "activities" in accepted and self.values.get("activities"):
            return accepted | {"account_enabled"}
        return accepted


_ELIGIBLE_ONLY = re.compile(
    r"\b(?:only|just|merely)\s+(?:pim[\s-]+)?eligible\b|\beligible\s+(?:only|but not active)\b"
    r"|\beligible\b.{0,40}\bnot\s+(?:active|activated|permanent)\b"
    r"|\b(?:have|has|need|needs|must)\s+to\s+activate\b",
    re.I,
)
_STANDING = re.compile(
    r"\b(?:permanent(?:ly)?|standing)\s+(?:\w+\s+)?(?:assign\w*|access|admins?|roles?|members?)"
    r"|\b(?:active|permanent)\s+(?:role\s+)?assignments?\b|\boutside (?:of )?pim\b"
    r"|\bactive\s+(?:(?:admin|administrator|administrative|privileged)\s+)?roles?\b",
    re.I,
)


_INCLUDING = re.compile(
    r"\b(?:including|incl|as well as|along with|plus|and also|together with)\b\.?[^.?!;]{0,30}$",
    re.I,
)
"""What comes after "including" adds to a list; it does not narrow it."""


def _assignment_kind(prompt: str) -> str | None:
    """ "only eligible, not active" or "standing assignments": the kind of role grant asked
    ("everyone, including the ones who are only eligible" asks for both)."""
    if (match := _ELIGIBLE_ONLY.search(prompt)) and not _INCLUDING.search(prompt[: match.start()]):
        return "eligible"
    if _STANDING.search(prompt):
        return "active"
    return None


_DRAFTING = re.compile(
    r"\b(?:draft|write|create|make|build|design|define|propose|suggest|generate|new|set up)\b"
    r".{0,60}\b(?:polic(?:y|ies)|rule|(?:thing|replacement)(?=\s+(?:that|which)\s+(?:makes?|"
    r"requires?|forces?|blocks?|stops?)))\b|\bpolicy\b.{0,40}\b(?:that|to|requiring|blocking)\b"
    r"|^\s*(?:require|block|enforce|force)\b"
    r"|\b(?:draft|write|create|build|make)\s+(?:it|that|this)(?:\s+(?:for\s+(?:me|us)|up))?\W*$"
    r"|^\W*draft\s+(?:ca|conditional\s+access)\s*[:\-–]",
    re.I,
)
"""The prompt describes a Conditional Access policy to draft (`policy_draft` reads it)."""
_OWNERSHIP = re.compile(r"\bowner(?:s|ship)?\b", re.I)
"""The prompt is about who owns something (not who is a member)."""


def asks_privileged_in_general(prompt: str) -> bool:
    """The prompt asks about privileged roles or admins in general ("list the admins")."""
    return bool(_PRIVILEGED_IN_GENERAL.search(prompt))


_JOINED = {"Hybrid": "hybrid", "AzureAD": "entra", "Workplace": "registered"}
"""How the device is joined, as the device slot says it and as `ca_whatif` takes it."""
SITE_WORDS = r"(?:office|site|branch|campus|hq|headquarters|plant|warehouse|store)"
"""Words that make a city a workplace ("the Seattle office")."""
_SITE_SPOKEN_OF = re.compile(rf"\b(?:an|no|any|our)\s+({SITE_WORDS})\s+(?:there|here|in|at)\b")
"""A workplace spoken of without a city ("we don't have an office there")."""


_FIRST_FLAGGED = re.compile(
    r"\b(?:flagged|at\s+risk|risky|detected)\s+(?:the\s+)?(?:first|earliest|longest)\b"
    r"|\b(?:first|earliest)\s+(?:to\s+be\s+|one\s+)?(?:flagged|at\s+risk|detected)\b"
    r"|\b(?:been\s+)?at\s+risk\s+(?:the\s+)?longest\b",
    re.I,
)
_LAST_FLAGGED = re.compile(
    r"\b(?:flagged|at\s+risk|detected)\s+(?:the\s+)?(?:last|latest|most\s+recently)\b"
    r"|\b(?:most\s+recently|latest|last|newest)\s+(?:to\s+be\s+)?(?:flagged|at\s+risk|"
    r"detected)\b",
    re.I,
)


def _risk_order(prompt: str) -> str | None:
    """ "who was flagged first?", "the most recently flagged": risky users by when each was
    first flagged."""
    if _FIRST_FLAGGED.search(prompt):
        return "first_flagged"
    if _LAST_FLAGGED.search(prompt):
        return "last_flagged"
    return None


def _risk_closed(prompt: str) -> str | None:
    """How the risk of the users asked about was closed ("who cleared their own risk",
    "dismissed risky users"), when the prompt speaks of risk and does not set those aside
    ("not dismissed or remediated", "skip the ones already remediated")."""
    ways = []
    for how, said in _RISK_CLOSED:
        found = said.search(prompt)
        if found is None or _SET_ASIDE.search(prompt[max(0, found.start() - 40) : found.start()]):
            continue
        if how == "self_remediated" or _RISK_WORDS.search(prompt):
            ways.append(how)
    if len(ways) > 1:
        return "any"  # "was every flagged user remediated or dismissed?": all of them, open too
    return ways[0] if ways else None


def _sign_in_values(slots: PromptSlots, prompt: str) -> dict[str, Any]:
    """What the prompt says of a (hypothetical or recorded) sign-in, by what-if input field."""
    text = " ".join(prompt.lower().replace("’", "'").split())
    values: dict[str, Any] = {}
    if slots.platforms:
        values["platform"] = slots.platforms[0]
    if slots.countries:
        values["country"] = slots.countries[0]
        values["countries"] = slots.countries
    if slots.cities:
        values["cities"] = slots.cities
        values["city"] = slots.cities[0]
    if slots.client_apps:
        values["client_app"] = slots.client_apps[0]
    if slots.device is not None:
        compliant = slots.device.compliant
        values["device_compliant"] = compliant if compliant is not None else slots.device.managed
        if joined := _JOINED.get(slots.device.joined or ""):
            values["device_joined"] = joined
    if slots.risk_levels:
        values["levels"] = slots.risk_levels
        field_name = "user_risk" if _USER_RISK.search(text) else "sign_in_risk"
        values[field_name] = max(slots.risk_levels, key=_RISK_ORDER.index)
    for slot_name, words in (
        ("trusted_location", TRUSTED_WORDS),
        ("outside_locations", OUTSIDE_WORDS),
    ):
        if said := [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]:
            values[slot_name] = True
            values["_place_words"] = values.get("_place_words", set()) | {
                word for phrase in said for word in phrase.split()
            }
    if any(w in text for w in MFA_DONE_WORDS):
        values["mfa"] = True
    if _SOME_GUEST.search(text):
        values["someone"] = "guest"
    elif _SOME_MEMBER.search(text):
        values["someone"] = "member"
    if spoken_of := _SITE_SPOKEN_OF.findall(text):
        # "we don't have an office there": an office as a place, not the Office apps.
        values["_place_words"] = values.get("_place_words", set()) | set(spoken_of)
    if sites := _sites(text, [typed for typed, _ in slots.places_said]):
        values["_place_words"] = values.get("_place_words", set()) | sites
        values["at_site"] = True
    return {k: v for k, v in values.items() if v is not None}


def _sites(text: str, places: list[str]) -> set[str]:
    """The words of "the Seattle office", "our branch in Oslo": a place, not an app or group
    whose name has "office" or "Seattle" in it."""
    words: set[str] = set()
    for place in places:
        name = re.escape(place.lower())
        site = rf"\b{name}\s+{SITE_WORDS}\b|\b{SITE_WORDS}\s+(?:in|at)\s+{name}\b"
        for found in re.finditer(site, text):
            words |= set(found.group(0).split()) - {"in", "at"}
    return words


def _days_since(window: TimeWindow | None, anchor: datetime) -> int:
    """How many days "not signed in this month" means: since the window's start (whole days,
    at least one), or the 90 days of Microsoft's access-review guidance when no time is said."""
    if window is None or window.start >= anchor:
        return DEFAULT_INACTIVE_DAYS
    return max(1, math.ceil((anchor - window.start).total_seconds() / 86400))


def read_stated(
    store: Store,
    prompt: str,
    slots: PromptSlots | None = None,
    names: tuple[str, ...] = (),
    known_departments: tuple[str, ...] | None = None,
) -> Stated:
    """Every typed value the prompt states, and the conditions it states that none explains.

    `slots` are the prompt's typed slots (read here when not given); `names` the phrases that
    named objects (a condition that is only a name, "with Alice", is not unexplained).
    """
    if slots is None:
        slots = extract_slots(prompt, store.captured_at(), sign_in_cities(store))
    if known_departments is None:
        known_departments = departments(store)
    users, user_reader = read_user_filters(prompt, list(known_departments))
    groups, group_reader = read_group_filters(prompt)
    values: dict[str, Any] = {**users, **groups}
    if asks_privileged_in_general(prompt):
        values["privileged"] = True
    phrases, _ = roles_able_to(prompt)
    if phrases:
        values["capabilities"] = phrases
    if categories := [c for c, words in _WORKFLOW_CATEGORIES.items() if words.search(prompt)]:
        values["categories"] = categories
    if activities := activities_named(store, prompt):
        values["activities"] = activities
    if categories and (workflow := workflow_named(store, prompt)):
        values["workflow"] = workflow  # "the pre-hire onboarding workflow"
    if _OWNERSHIP.search(prompt):
        values["relation"] = "owner"
    if kind := _assignment_kind(prompt):
        values["assignment"] = kind
    if skus := licences_said(prompt):
        values["licence_skus"] = skus
    values.update(_sign_in_values(slots, prompt))
    if values.pop("inactive_in_window", False):
        values["inactive_days"] = _days_since(slots.window, store.captured_at())
    if population := read_population(store, prompt):
        values[POPULATION] = population  # a kind of person: their what-if, not `someone`'s
        values.pop("someone", None)
    values.update(report_values(prompt))
    if order := _risk_order(prompt):
        values["order"] = order
    if rank := read_rank(prompt):
        values["rank"] = rank.model_dump()
    if _CA_BLOCKED.search(prompt):
        values["ca_blocked"] = True
    if (failures := min_failures(prompt)) is not None:
        values["min_failures"] = failures
    if closed := _risk_closed(prompt):
        values["risk_closed"] = closed
    if closed or _RISK_CHANGED.search(prompt):
        values["risk_changed_in_window"] = True
    if _DRAFTING.search(prompt):
        from idpilot.ca_drafting.description import read_description

        values["drafted_policy"] = read_description(prompt).model_dump(mode="json")
    place_words = values.pop("_place_words", set())
    user_reader.consumed += group_reader.consumed
    known = _slot_words(slots)
    if slots.window is not None and slots.window.phrase:
        known.append(slots.window.phrase.lower())  # "with today": when, understood
    if values.get("created_in_window"):
        known.append("created")  # "with who created each": a created list names its creators
    if values.get("risk_closed"):
        # "with a secure password reset" says how the risk was closed: understood.
        known += [m.group(0).lower() for _, said in _RISK_CLOSED for m in said.finditer(prompt)]
    if privileged := PRIVILEGED_PHRASE.search(prompt):
        known.append(privileged.group(0).lower())  # "with a privileged role" is understood
    if "assignment" in values or re.search(r"\beligible\b", prompt, re.I):
        known += ["eligible", "activate"]  # role holders are listed with their grant's kind
    conditions = [
        *user_reader.unexplained(CONDITION, known, names),
        *user_reader.unexplained(EXCEPTION, known, names),
        *slots.unparsed_conditions,
    ]
    return Stated(
        values=values, conditions=list(dict.fromkeys(conditions)), place_words=place_words
    )


def _slot_words(slots: PromptSlots) -> list[str]:
    """Words of conditions the slot parsers understood (so they are not reported unapplied)."""
    words = [*slots.platforms, *slots.client_apps, *slots.cities]
    words += [w.lower() for w in slots.platforms]
    return [w.lower() for w in words if w]
