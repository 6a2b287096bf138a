"""A Conditional Access policy named by what it does to people, in words its name need not
share: "the thing that makes people do MFA when they're not in one of our offices", "the rule
that kicks out old mail apps", "the thing that forces a password change when someone's account
looks compromised".

Each policy's effects are read from its Graph JSON (what it grants or blocks, which clients,
locations and risks it is conditioned on, whom it targets); the same effects are read from the
description by the words admins use for them. The policy that has the most of the described
effects, at least two and every one the description names that bears on the grant, and more
than any other policy, is the one meant; otherwise none is.
"""

from __future__ import annotations

import re
from typing import Any

from idpilot.store import Store
from idpilot.store.queries.policies import all_policies, country_location_ids
from idpilot.store.version_memo import per_snapshot

MIN_EFFECTS = 2
"""Effects a description must share with a policy before it names it."""
_DESCRIBED = re.compile(
    r"\b(?:the|that|our|a)\s+(?:[\w-]+\s+){0,3}?(?:polic(?:y|ies)|rule|thing|setting|one|block|"
    r"requirement)\s+(?:that|which|to|for|where|we\s+use\s+to|supposed\s+to)\b",
    re.I,
)
"""A policy spoken of by what it does ("the rule that ...", "the thing which ...")."""
_SAID: dict[str, re.Pattern[str]] = {
    "block": re.compile(
        r"\b(?:block\w*|kick\w*\s+(?:\w+\s+)?out|keeps?\s+(?:\w+\s+)?out|stops?|denies|deny|"
        r"lock\w*\s+(?:\w+\s+)?out|shut\w*\s+out|bans?)\b",
        re.I,
    ),
    "mfa": re.compile(
        r"\b(?:mfa|2fa|multi-?factor|second\s+factor|authenticator|prompt\w*|ask\w*\s+for\s+(?:mfa"
        r"|a\s+code)|do\s+mfa|verify)\b",
        re.I,
    ),
    "password_change": re.compile(
        r"\bpassword\s+(?:change|reset)|\b(?:change|reset)\s+(?:their|the|a|your)?\s*passwords?",
        re.I,
    ),
    "device": re.compile(
        r"\b(?:compliant|managed|intune|enrolled|company)\s+(?:device|laptop|pc|phone)", re.I
    ),
    "legacy": re.compile(
        r"\b(?:legacy|basic\s+auth\w*|imap|pop3?|activesync|old\s+(?:mail|email|e-mail)\s*"
        r"(?:apps?|clients?|programs?|protocols?)?|old\s+(?:protocols?|clients?))\b",
        re.I,
    ),
    "outside_network": re.compile(
        r"\b(?:off\s+the\s+(?:corporate\s+|company\s+|office\s+)?network|outside\s+(?:the\s+|our\s+|"
        r"of\s+)?(?:office|offices|network|trusted\s+\w+)|not\s+in\s+(?:one\s+of\s+)?(?:our\s+|the\s+)?"
        r"(?:offices?|network)|away\s+from\s+(?:the\s+)?office|from\s+home|untrusted\s+(?:networks?"
        r"|locations?))\b",
        re.I,
    ),
    "outside_countries": re.compile(
        r"\b(?:outside\s+(?:of\s+)?(?:our\s+|the\s+)?(?:\w+\s+)?(?:countries|country|regions?)|"
        r"abroad|other\s+countries|untrusted\s+countries|foreign\s+countries|from\s+(?:certain|some|"
        r"risky|blocked)\s+countries)\b",
        re.I,
    ),
    "everyone": re.compile(
        r"\b(?:every(?:one|body)|all\s+(?:our\s+)?(?:users|staff|employees|people)|every\s+user)\b",
        re.I,
    ),
    "sign_in_risk": re.compile(
        r"\b(?:sign-?in|login|log-?on)\s+(?:looks?|seems?|is)\s+(?:risky|suspicious|dodgy)|"
        r"\brisky\s+sign-?ins?|\bsign-?in\s+risk",
        re.I,
    ),
    "user_risk": re.compile(
        r"\b(?:account|user|someone|person)\w*\s+(?:\w+\s+){0,2}?(?:looks?|seems?|is)\s+"
        r"(?:compromised|risky|at\s+risk)|\buser\s+risk|\bcompromised\s+(?:accounts?|users?)",
        re.I,
    ),
    "admins": re.compile(r"\b(?:admins?|administrators?|privileged)\b", re.I),
    "guests": re.compile(r"\b(?:guests?|external\s+users?|partners?)\b", re.I),
}
_CLAUSE_END = re.compile(r"[?!:;—–]|\.\s|\s-\s")
"""Where the description ends ("the rule that kicks out old mail apps: is it on?")."""
_SCOPES = frozenset({"everyone", "admins", "guests"})
_GRANTS = frozenset({"block", "mfa", "password_change", "device"})
_PolicyEffects = tuple[str, str, frozenset[str]]


def policy_by_effect(store: Store, prompt: str) -> tuple[str, str, str] | None:
    """(id, display name, the describing words in lower case) of the one policy the prompt
    describes by what it does, if any."""
    described = _DESCRIBED.search(prompt)
    if described is None:
        return None
    text = _CLAUSE_END.split(prompt[described.start() :], maxsplit=1)[0]
    found = {effect: pattern.search(text) for effect, pattern in _SAID.items()}
    said = {effect for effect, match in found.items() if match}
    if len(said) < MIN_EFFECTS:
        return None
    scored = []
    for policy_id, name, effects in _effects(store):
        if said & _GRANTS and not said & _GRANTS <= effects:
            continue  # "makes people do MFA" is no block policy
        # The most described effects, then the fewest left unsaid (the plainest policy).
        # (Everyone is the scope a description that names none means.)
        unsaid = effects - said - {"everyone"}
        scored.append(((len(said & effects), -len(unsaid)), policy_id, name))
    scored.sort(reverse=True)
    if not scored or scored[0][0][0] < MIN_EFFECTS:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    # The words that describe it end with its last effect said (not "everybody", which may be
    # what is asked: "does the policy that blocks legacy auth cover everybody?").
    ends = [m.end() for e, m in found.items() if m and e not in _SCOPES]
    end = max(ends, default=len(text))
    end += len(re.match(r"[\w-]*", text[end:]).group(0))  # the word the match ended in
    return scored[0][1], scored[0][2], text[:end].lower().strip()


def _effects(store: Store) -> list[_PolicyEffects]:
    """Each policy's id, name and effects, once per store version."""

    def read() -> list[_PolicyEffects]:
        countries = country_location_ids(store)
        return [
            (
                str(raw.get("id")),
                str(raw.get("displayName") or raw.get("id")),
                effects_of(raw, countries),
            )
            for raw in all_policies(store)
            if isinstance(raw, dict)
        ]

    return per_snapshot(store, "policies by effect", read)


def effects_of(policy: dict[str, Any], country_locations: set[str]) -> frozenset[str]:
    """What a policy (Graph JSON) does, in the effects `_SAID` reads from words
    (`country_locations`: the lower-cased ids of named locations defined by countries)."""
    grant = policy.get("grantControls") or {}
    controls = {str(c).lower() for c in grant.get("builtInControls") or []}
    conditions = policy.get("conditions") or {}
    users = conditions.get("users") or {}
    effects = set()
    if "block" in controls:
        effects.add("block")
    if "mfa" in controls or grant.get("authenticationStrength"):
        effects.add("mfa")
    if "passwordchange" in controls:
        effects.add("password_change")
    if {"compliantdevice", "domainjoineddevice"} & controls:
        effects.add("device")
    clients = {str(c).lower() for c in conditions.get("clientAppTypes") or []}
    if clients and "all" not in clients and clients <= {"exchangeactivesync", "other"}:
        effects.add("legacy")
    locations = conditions.get("locations") or {}
    named = [
        str(x).lower()
        for x in (locations.get("excludeLocations") or [])
        + [x for x in locations.get("includeLocations") or [] if str(x).lower() != "all"]
    ]
    if any(x in country_locations for x in named):
        effects.add("outside_countries")
    if any(x not in country_locations for x in named):
        effects.add("outside_network")
    if users.get("includeUsers") == ["All"]:
        effects.add("everyone")
    apps = (conditions.get("applications") or {}).get("includeApplications") or []
    if apps and apps != ["All"]:
        effects.add("some_apps")
    if conditions.get("signInRiskLevels"):
        effects.add("sign_in_risk")
    if conditions.get("userRiskLevels"):
        effects.add("user_risk")
    if users.get("includeRoles"):
        effects.add("admins")
    if users.get("includeGuestsOrExternalUsers"):
        effects.add("guests")
    return frozenset(effects)
