"""A Microsoft Graph query said in PowerShell or as a REST call ("Get-MgUser -Filter
"accountEnabled eq false" -All -- what would that return here?", "GET
/auditLogs/signIns?$filter=status/errorCode eq 50053 -- who and why?") read as the question it
asks, in words: "list the disabled users".

Only reads are read this way: every cmdlet a `Get-Mg…` one (or `Where-Object`, `Select-Object`,
`Format-Table`, `Sort-Object` over its output), every call a `GET` of a documented Graph
collection, every filter one this module knows. Anything else (a `Set-`, `Remove-` or
`Invoke-` cmdlet, a variable, an encoded command, a filter it cannot say) stays a script, which
`script_analysis` explains.
"""

from __future__ import annotations

import re

_COLLECTIONS: dict[str, str] = {
    # Graph PowerShell noun (after Get-Mg) or REST path: what it lists, in words.
    "user": "users",
    "users": "users",
    "riskyuser": "risky users",
    "identityprotection/riskyusers": "risky users",
    "riskyserviceprincipal": "risky workload identities (service principals)",
    "identityprotection/riskyserviceprincipals": "risky workload identities (service principals)",
    "riskdetection": "risk detections",
    "identityprotection/riskdetections": "risk detections",
    "auditlogsignin": "sign-ins",
    "auditlogs/signins": "sign-ins",
    "auditlogdirectoryaudit": "audit log events",
    "auditlogs/directoryaudits": "audit log events",
    "directoryrolemember": "members of the role",
    "rolemanagementdirectoryroleassignment": "role holders",
    "rolemanagement/directory/roleassignments": "role holders",
    "rolemanagementdirectoryroleeligibilityschedule": "eligible role holders",
    "group": "groups",
    "groups": "groups",
    "groupmember": "members of the group",
    "groupowner": "owners of the group",
    "application": "app registrations",
    "applications": "app registrations",
    "serviceprincipal": "service principals",
    "serviceprincipals": "service principals",
    "serviceprincipalapproleassignment": "application permissions granted to",
    "identityconditionalaccesspolicy": "Conditional Access policies",
    "identity/conditionalaccess/policies": "Conditional Access policies",
    "userauthenticationmethod": "registered authentication methods of",
    "reportauthenticationmethoduserregistrationdetail": "MFA registration details",
    "reports/authenticationmethods/userregistrationdetails": "MFA registration details",
}
_CONDITIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"accountEnabled\s+(?:eq|-eq)\s+\$?false", re.I), "disabled"),
    (re.compile(r"accountEnabled\s+(?:eq|-eq)\s+\$?true", re.I), "enabled"),
    (re.compile(r"riskState\s+eq\s+'(\w+)'", re.I), "whose risk state is {0}"),
    (re.compile(r"riskLevel\s+eq\s+'(\w+)'", re.I), "at {0} risk"),
    (re.compile(r"status/errorCode\s+ne\s+0", re.I), "that failed"),
    (re.compile(r"status/errorCode\s+eq\s+(\d{4,7})", re.I), "that failed with error {0}"),
    (re.compile(r"userPrincipalName\s+eq\s+'([^']+)'", re.I), "of {0}"),
    (re.compile(r"userType\s+eq\s+'(\w+)'", re.I), "of type {0}"),
    (re.compile(r"activityDisplayName\s+eq\s+'([^']+)'", re.I), "'{0}'"),
    (re.compile(r"roleDefinitionId\s+eq\s+'([0-9a-f-]{36})'", re.I), "of role {0}"),
    (re.compile(r"groupTypes/any\(\w+:\w+\s+eq\s+'DynamicMembership'\)", re.I), "dynamic"),
    (
        re.compile(r"PasswordCredentials\.EndDateTime\s+-lt\s+\(Get-Date\)", re.I),
        "with an expired client secret",
    ),
    (re.compile(r"\$select=signInActivity", re.I), "and their last sign-in"),
    (re.compile(r"-(?:GroupId|UserId|ServicePrincipalId|DirectoryRoleId)\s+'?([\w.@-]+)'?"), "{0}"),
)
"""Filters and parameters this module can say in words (anything else keeps it a script)."""
_IGNORED = re.compile(
    r"-All\b|-Top\s+\d+|-Property\s+[\w,]+|-ConsistencyLevel\s+\w+|-CountVariable\s+\w+"
    r"|\|\s*(?:Select-Object|Format-Table|Format-List|Sort-Object|ft|fl|select)\b[^|]*",
    re.I,
)
_CMDLET = re.compile(r"(?<![\w-])(?P<verb>[A-Z][a-z]+)-Mg(?P<noun>[A-Za-z]+)\b")
_REST = re.compile(
    r"(?<![\w/])GET\s+(?:https://graph\.microsoft\.com)?/(?:v1\.0/|beta/)?(?P<path>[\w/{}.-]+)"
)
_QUERY_END = re.compile(r"\s+(?:--|—|–)\s+|[?!](?=\s|$)|[.,;:](?=\s+[A-Za-z])")
"""Where a REST call said in a prompt ends and the question about it begins."""
_PARAMETER = re.compile(
    r"\s+-[A-Za-z]+(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)|[^\s\-|\"'][^\s|]*))?"
    r"|\s*\|\s*(?:Where-Object|Select-Object|Format-Table|Format-List|Sort-Object|\?|ft|fl|select)"
    r"(?:\s*\{[^}]*\}|[^|\n]*?(?=\s+(?:--|—|–)\s+|[?!.](?=\s|$)|\||$))"
)
"""One parameter of a cmdlet (`-Filter "..."`, `-All`) or a pipe to a cmdlet that filters,
selects or formats its output."""
_GUID_IN_PATH = re.compile(r"/([0-9a-f-]{36})(?=/|$)", re.I)
_OTHER_SCRIPT = re.compile(
    r"\$\w+\s*=[^=]|\biex\b|-EncodedCommand|(?<![\w-])(?!Get-|Where-Object|Select-Object|"
    r"Format-|Sort-Object)[A-Z][a-z]+-[A-Z][A-Za-z]+\b"
)


def _said(condition_text: str) -> list[str] | None:
    """The conditions of a query's filter text in words, or None when one is not known."""
    rest = _IGNORED.sub(" ", condition_text)
    words = []
    for pattern, said in _CONDITIONS:
        for found in pattern.finditer(rest):
            words.append(said.format(*found.groups()))
        rest = pattern.sub(" ", rest)
    leftover = re.sub(
        r"-Filter|\$filter=|\band\b|-and\b|Where-Object|\$_\.?|[\s\"'(){}|,&$?]",
        "",
        rest,
        flags=re.I,
    )
    return words if not leftover else None


def _asked(noun: str, conditions: list[str]) -> str:
    adjectives = [c for c in conditions if c in ("disabled", "enabled", "dynamic")]
    rest = [c for c in conditions if c not in adjectives]
    return " ".join(["list the", *adjectives, noun, *rest]).strip()


def query_in_words(prompt: str) -> str | None:
    """The prompt with the Graph read query it says put in words, or None when it says none
    (or says more than reads this module knows, which stays a script)."""
    cmdlet = _CMDLET.search(prompt)
    rest = _REST.search(prompt)
    if cmdlet is None and rest is None:
        return None
    named = None
    if cmdlet is not None:
        start, end = cmdlet.start(), cmdlet.end()
        while (parameter := _PARAMETER.match(prompt, end)) is not None and parameter.end() > end:
            end = parameter.end()
        tail = prompt[cmdlet.end() : end]
        if (
            cmdlet.group("verb") != "Get"
            or _OTHER_SCRIPT.search(tail)
            or _OTHER_SCRIPT.search(prompt[end:])
        ):
            return None
        noun = _COLLECTIONS.get(cmdlet.group("noun").lower())
        named = re.match(r"\s+for\s+([A-Z][\w.@-]*(?:\s+[A-Z][\w.@-]*){0,3})", prompt[end:])
        if named:
            end += named.end()
    else:
        assert rest is not None
        start = rest.start()
        end_match = _QUERY_END.search(prompt, rest.end())
        end = end_match.start() if end_match else len(prompt)
        path = rest.group("path")
        guids = _GUID_IN_PATH.findall("/" + path)
        key = _GUID_IN_PATH.sub("", "/" + path).strip("/").lower()
        noun = _COLLECTIONS.get(key)
        if noun and guids:
            noun = f"{noun.rstrip('s')} {guids[0]}" if key in ("users", "groups") else noun
        tail = prompt[rest.end() : end]
    if noun is None:
        return None
    conditions = _said(tail)
    if conditions is None:
        return None
    words = _asked(noun, conditions)
    if named:
        words += f" {named.group(1).strip()}"
    return f"{prompt[:start]}{words}{prompt[end:]}"
