"""The words `kql_reading` reads a request for a query with: tables, groupings, values, limits.

Patterns run on the prompt in lower case with the names it holds blanked out. Each maps admins'
words to the typed values of `idpilot.kql.question`; nothing here knows a tenant's names.
"""

from __future__ import annotations

import re

from idpilot.kql.question import Attribute, LogTable, QueryKind

TABLE_SAID = re.compile(
    r"\btables?\b|\b(?:SigninLogs|AuditLogs|AAD[A-Za-z]+(?:Logs|Users|Events|Principals))\b",
    re.I,
)
"""The prompt names a table, by the word or by its Log Analytics name."""
TABLE_EXTENT = re.compile(
    r"\bhow far back\b|\btime (?:span|range)\b|\bavailable\b|\bis (?:it |\w+ )?there\b"
    r"|\bhow (?:much|many rows)\b|\bwhich tables\b|\bwhat tables\b",
    re.I,
)
"""How much a table holds, how far back it goes, whether it is there."""

# Kinds the builder cannot express at all, with what to say instead.
REFUSED_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\bjoin\w*\b|\bcorrelat\w*\b|\bcombin\w* (?:with|the)\b|\bmatch(?:ed|ing)? "
            r"(?:against|with)\b"
        ),
        "joining two tables",
    ),
    (
        re.compile(
            r"\b(?:time ?chart|time series|make-series|trend\w*|render|chart|graph it|"
            r"over time)\b"
        ),
        "a time series or chart",
    ),
    (re.compile(r"\b(?:percent\w*|ratio|rate|proportion|share of)\b"), "a rate or percentage"),
    (re.compile(r"\b(?:average|median|percentile|mean|std\w*|p9\d)\b"), "an average or percentile"),
    (
        re.compile(r"\b(?:anomal\w*|baseline|unusual|outliers?|deviat\w*)\b"),
        "anomaly detection against a baseline",
    ),
    (
        re.compile(
            r"\b(?:first[- ]time|never (?:seen|used) before|new(?:ly seen)? (?:countr\w*|"
            r"ips?|devices?|locations?|user agents?)|for the first time)\b"
        ),
        "first-seen comparisons",
    ),
    (
        re.compile(
            r"\b(?:impossible travel|password spray\w*|brute[- ]?forc\w*|mfa fatigue|"
            r"token theft|session hijack\w*)\b"
        ),
        "a named attack detection (ask idpilot to scan for threats instead)",
    ),
    (
        re.compile(
            r"\b(?:user ?agents?|browsers?|operating systems?|\bos\b|devices?|compliant|"
            r"managed|intune|trust type)\b"
        ),
        "device or client details",
    ),
    (
        re.compile(
            r"\b(?:durations?|latency|how long|processing time|between (?:the )?(?:first|"
            r"two))\b"
        ),
        "durations between events",
    ),
    (
        re.compile(
            r"\b(?:group member\w*|members of|in the group|role holders?|licen[cs]\w*|"
            r"department|job title|manager)\b"
        ),
        "directory attributes that are not in the Log Analytics tables",
    ),
)
# For risk events only: these are detection types, not attacks to scan for.
RISK_TYPES = {
    "leakedCredentials": re.compile(r"\bleaked cred\w*|\bcredential leak"),
    "anonymizedIPAddress": re.compile(r"\banonymi[sz]\w* ip|\banonymous ip|\btor\b"),
    "unlikelyTravel": re.compile(r"\b(?:unlikely|atypical|impossible) travel"),
    "passwordSpray": re.compile(r"\bpassword spray"),
    "unfamiliarFeatures": re.compile(r"\bunfamiliar (?:sign-?in )?(?:features|properties)"),
    "maliciousIPAddress": re.compile(r"\bmalicious ip"),
    "riskyIPAddress": re.compile(r"\brisky ip"),
}
RISK_STATES = {
    "atRisk": re.compile(r"\bat[- ]?risk\b|\bstill risky\b|\bunresolved\b|\bopen\b"),
    "dismissed": re.compile(r"\bdismiss\w*"),
    "remediated": re.compile(r"\bremediat\w*"),
    "confirmedCompromised": re.compile(r"\bconfirmed compromised\b|\bcompromised\b"),
}
TABLES: tuple[tuple[QueryKind, LogTable, re.Pattern[str]], ...] = (
    (QueryKind.risky_service_principals, LogTable.risky_service_principals,
     re.compile(r"\brisky (?:service principals?|apps?|applications?|workload identit\w*|sps?)\b"
                r"|\b(?:service principals?|apps?|workload identit\w*) (?:at|with) risk\b"
                r"|aadriskyserviceprincipals")),
    (QueryKind.risk_events, LogTable.risk_events,
     re.compile(r"\brisk (?:events?|detections?)\b|aaduserriskevents|\brisk event types?\b"
                r"|\bidentity protection (?:events?|detections?)\b")),
    (QueryKind.risky_users, LogTable.risky_users,
     re.compile(r"\brisky (?:users?|accounts?|people)\b|\b(?:users?|accounts?) (?:still |currently "
                r")?(?:at|with|flagged (?:as|at)) (?:\w+ )?risk\b|aadriskyusers|\buser risk\b"
                r"|\bflagged (?:as )?risky\b")),
    (QueryKind.service_principal_sign_ins, LogTable.service_principal_sign_ins,
     re.compile(r"\bservice principals?\b|\bworkload identit\w*|aadserviceprincipalsigninlogs"
                r"|\bapp-only\b|\bclient credentials?\b|\bsp sign-?ins?\b")),
    (QueryKind.audit, LogTable.audit,
     re.compile(r"\baudit\w*|\bchanges?\b|\bchanged\b|\boperations?\b|\bactivit(?:y|ies)\b"
                r"|\badmin actions?\b|\bdirectory (?:events?|changes?)\b|\bwho (?:added|removed|"
                r"reset|deleted|created|updated|modified|disabled|enabled|registered)\b")),
)  # fmt: skip
SIGN_INS = re.compile(r"\bsign-?ins?\b|\blog-?ins?\b|\blogons?\b|\bsigned in\b|\blogged in\b")
RESULTS = re.compile(r"\bresults?\b|\boutcomes?\b|\bapplied\b|\beffects?\b")
RISK = re.compile(r"\brisk\w*")
RECORDS = re.compile(r"\b(?:detections|events|alerts)\b")
"""Plural records: "leaked credentials detections" are risk events, "spray detection" is not."""
COUNTING = re.compile(r"\b(?:count|counts|counting|tally|total number of)\b")
SUBJECT_AFTER = re.compile(r"\s+(?:with|that|who|whose|having|where|which)\b|\s+(?!sign)\w+ing\b")
"""After a noun: "IPs with ...", "users failing to ..." make it the subject listed per row."""
AND_THEN = r"(?:,\s*|\s+and\s+|\s*&\s*)(?:the\s+|per\s+|by\s+)?"
NON_INTERACTIVE = re.compile(r"\bnon-?interactive\b|aadnoninteractiveusersigninlogs")
CONDITIONAL_ACCESS = re.compile(r"\bconditional access\b|\bca\b|\bpolic(?:y|ies)\b")
PER_POLICY = re.compile(
    r"\b(?:per|by|each|every|which|what|for all|grouped by|broken down by)\s+(?:the\s+|ca\s+)?"
    r"polic(?:y|ies)\b|\bpolicy results?\b|\bpolicy outcomes?\b|\bresults? (?:of|for) (?:each|"
    r"every|the) polic"
)
MFA = re.compile(r"\bmfa\b|\bmulti-?factor\b|\b2fa\b|\bsecond factor\b|\bstrong auth\w*")
FAILURE = re.compile(
    r"\bfail\w*|\bunsuccessful\b|\berrors?\b|\bdenied\b|\bbad password|\bwrong password"
    r"|\bblocked\b|\brejected\b"
)
SUCCESS = re.compile(r"\bsuccess\w*|\bsucceeded\b|\bworked\b|\bgot in\b|\bpassed\b")
CA_OUTCOMES = {
    "failure": re.compile(r"\bblock\w*|\bfail\w*|\bdenied\b"),
    "success": re.compile(r"\bsuccess\w*|\bsatisfied\b|\bpassed\b|\bgranted\b"),
    "notApplied": re.compile(r"\bnot applied\b|\bdidn'?t apply\b|\bdid not apply\b"),
}
NOUN_GROUP = r"(?:the\s+)?({})"
GROUP_WORDS: tuple[tuple[Attribute, str], ...] = (
    (Attribute.error_code, r"error(?: codes?|s)?|result ?types?|failure reasons?|reasons?|codes?"),
    (Attribute.client_app, r"client apps?|clients?|protocols?|client app used"),
    (Attribute.mfa_method, r"(?:mfa |auth(?:entication)? )?methods?"),
    (Attribute.risk_event_type, r"(?:risk |detection |event )?types?|risk event types?"),
    (Attribute.risk_level, r"(?:risk )?levels?|severity|severities"),
    (Attribute.risk_state, r"(?:risk )?states?"),
    (Attribute.service_principal, r"service principals?|workload identit(?:y|ies)|sps?"),
    (Attribute.resource, r"resources?|target apps?|resource apps?"),
    (Attribute.policy, r"(?:ca |conditional access )?polic(?:y|ies)"),
    (Attribute.user, r"users?|accounts?|upns?|people|persons?|identit(?:y|ies)"),
    (Attribute.ip, r"ips?|ip address(?:es)?|addresses|source ips?"),
    (Attribute.app, r"apps?|applications?"),
    (Attribute.country, r"countr(?:y|ies)|locations?|geo(?:graphy)?|regions?"),
    (Attribute.operation, r"operations?|activit(?:y|ies)|actions?|operation names?|event types?"),
    (Attribute.category, r"categor(?:y|ies)"),
    (Attribute.actor, r"actors?|admins?|initiators?|who did it|who made (?:them|it)|caller"),
    (Attribute.target, r"targets?|target (?:users?|objects?)|objects?"),
    (Attribute.result, r"results?|outcomes?|status(?:es)?"),
    (Attribute.day, r"days?|dates?"),
)
"""Words naming a grouping, most specific first."""
GROUP_LEAD = r"(?:by|per|for each|for every|each|grouped by|broken down by|split by|across)\s+"
DAILY = re.compile(r"\b(?:daily|per day|by day|each day|every day|day by day|by date)\b")
ASKED_FOR = re.compile(r"\b(?:which|what|top\s+\w+|list(?: the| all)?|show(?: me)?(?: the)?)\s+$")
"""Before a grouping word: "which users ...", "top 5 IPs ..." ask for a row per user, per IP."""
RECORDS_ASKED = re.compile(
    r"\b(?:listed|list them|as a list|itemi[sz]ed|one (?:row|line) (?:per|for each|each) "
    r"(?:event|record|entry|sign-?in)|(?:each|every|individual|raw) (?:events?|records?|entries|"
    r"entry|log lines?))\b"
)
"""The records themselves asked for: "... , listed", "individual events"; a subject such as
"users who ..." then says what the records are about, not a row per user."""
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100,
}  # fmt: skip
NUMBER = r"(\d{1,6}|" + "|".join(NUMBER_WORDS) + r")"
TOP = re.compile(
    r"\btop\s+" + NUMBER + r"\b|\b" + NUMBER + r"\s+(?:most|busiest|noisiest|biggest)\b"
)
MOST = re.compile(r"\b(?:the )?(?:most|highest number of|largest number of|busiest|noisiest)\b")
SINGULAR_ASK = re.compile(
    r"\b(?:which|what)\s+(user|account|ip|ip address|app|application|country|error|actor|admin|"
    r"operation|policy|service principal)\b(?!s)"
)
COMPARISONS = (
    (r"(?:at least|no fewer than|a minimum of|minimum of|>=)", ">="),
    (r"(?:more than|over|above|greater than|exceeding|>)", ">"),
    (r"(?:at most|no more than|a maximum of|maximum of|<=)", "<="),
    (r"(?:fewer than|less than|under|below|<)", "<"),
)
DISTINCT_NOUNS: tuple[tuple[Attribute, str], ...] = (
    (Attribute.country, r"countr(?:y|ies)|locations?"),
    (Attribute.ip, r"ips?|ip address(?:es)?|addresses"),
    (Attribute.app, r"apps?|applications?"),
    (Attribute.user, r"users?|accounts?|people|identities"),
    (Attribute.error_code, r"error codes?|errors?"),
    (Attribute.operation, r"operations?|activit(?:y|ies)"),
    (Attribute.target, r"targets?|objects?"),
)
DISTINCT_LEADS = r"from|in|across|with|using|used|on|to|by|against|hit|hitting|touching"
COUNT_NOUNS = (
    r"(?:failed |successful |unsuccessful |bad |interactive |non-?interactive )?"
    r"(?:times|failures|sign-?ins?|log-?ins?|logons?|attempts|events|changes|detections|errors|"
    r"operations|requests|tries|prompts|resets)"
)
LEGACY_CLIENTS = ("Browser", "Mobile Apps and Desktop clients")
"""ClientAppUsed values of modern authentication: legacy clients are all the others."""
CLIENT_APPS = {
    "browser": ("Browser",),
    "mobileAppsAndDesktopClients": ("Mobile Apps and Desktop clients",),
    "exchangeActiveSync": ("Exchange ActiveSync",),
}
AUDIT_RESULT_FAILURE = re.compile(r"\bfail\w*|\bunsuccessful\b|\berrors?\b")
ACTOR_BEFORE = re.compile(
    r"\b(?:by|from|initiated by|done by|made by|performed by|did|does|has|have)\s+$"
)
ACTOR_AFTER = re.compile(r"^\s*(?:'s\s+)?(?:made|did|performed|changed|added|removed|reset|"
                         r"initiated|triggered|started|deleted|created|updated|ran|"
                         r"has (?:made|done))\b")  # fmt: skip
