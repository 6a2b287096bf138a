"""Indicators a decoded script names: URLs, domains, IPs, paths, registry keys, hashes,
users, and GUIDs read by their context (a tenant id, an app id, another object id)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from idpilot.knowledge.privileged_roles import privileged_role
from idpilot.script_analysis.model import Indicator, IndicatorKind

_URL = re.compile(r"\b(?:https?|ftp|wss?)://(?:[^\s'\"<>(){}\[\]`,;|^\\]|\\\$)+", re.IGNORECASE)
_NESTED_URL = re.compile(r"(?<=[=/%])(?:https?|ftp)(?::|%3A)(?://|%2F%2F)([\w.-]+)", re.I)
_TLDS = (
    "com|net|org|io|ru|cn|info|biz|xyz|top|online|site|club|co|uk|de|fr|nl|me|tk|ml|ga|cf|gq|"
    "us|eu|app|dev|cloud|live|tech|pw|cc|su|in|br|jp|kr|it|es|pl|se|no|fi|dk|ch|at|be|ws|to|"
    "ly|sh|ms|link|click|zip|mov|onion|local|corp|lan|example|test|invalid|windows|azure"
)
_DOMAIN = re.compile(
    rf"(?<![\w.@$/\\-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})(?![\w.-]*[\w(])",
    re.IGNORECASE,
)
_NOT_HOSTS = re.compile(
    r"^(?:system|microsoft|io|net|text|security|management|windows|org)\.", re.IGNORECASE
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)(?:/\d{1,2})?")
_VERSION_BEFORE = re.compile(r"(?:version|ver|v)\s*[=:]?\s*['\"]?$", re.IGNORECASE)
_WINDOWS_PATH = re.compile(
    r"(?<=[\"'])(?:[a-z]:\\|\\\\[\w$-][\w.$-]*\\|(?:\$env:\w+|%\w+%)\\)[^\"'\n<>|?`]+(?=[\"'])"
    r"|(?<![\w])(?:[a-z]:\\|\\\\[\w$-][\w.$-]*\\|(?:\$env:\w+|%\w+%)\\)[^\s'\"<>|?`;,)]+",
    re.I,
)
_UNIX_PATH = re.compile(
    r"(?<![\w:/.-])/(?:tmp|etc|var|home|usr|dev/shm|root|opt|bin|Users|Library|private)"
    r"(?:/[^\s'\"<>|;`)]+)+"
)
_REGISTRY = re.compile(
    r"(?<![\w])(?:registry::)?(?:hklm|hkcu|hkcr|hku|hkcc|hkey_[a-z_]+)(?::)?\\[^\s'\"<>|`;]+",
    re.IGNORECASE,
)
_HASH = re.compile(r"(?<![\w-])(?:[a-f0-9]{64}|[a-f0-9]{40}|[a-f0-9]{32})(?![\w-])", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w.])", re.I)
_USER_PARAMETER = re.compile(
    r"-(?:username|user|userprincipalname|upn|identity)\s+['\"]?((?:[\w.-]+\\)?[\w.$@-]+)['\"]?",
    re.IGNORECASE,
)
_GUID = re.compile(
    r"(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])", re.I
)
_TENANT_CONTEXT = re.compile(r"tenant|microsoftonline\.com/$|\btid\b|directory", re.I)
_APP_CONTEXT = re.compile(r"client_?id|app_?id|application_?id|-clientid|-appid|\bresource\b", re.I)
_CONTEXT_CHARS = 48
MAX_LINE_CHARS = 4096
"""Indicators are read from the head of a longer line (a blob), so no line costs more."""
_TRAILING = ".,:;'\")]}>"

WELL_KNOWN_APPS = {
    "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell (public client)",
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI (public client)",
    "d3590ed6-52b3-4102-aeff-aad2292ab01c": "Microsoft Office (public client)",
    "14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
    "29d9ed98-a469-4536-ade2-f981bc1d605e": "Microsoft Authentication Broker",
    "1fec8e78-bce4-4aaf-ab1b-5451cc387264": "Microsoft Teams (public client)",
    "00000003-0000-0000-c000-000000000000": "Microsoft Graph (resource)",
    "00000002-0000-0000-c000-000000000000": "Azure AD Graph (resource, retired)",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Azure Resource Manager (resource)",
}
"""First-party app ids attack tools borrow (public clients that need no secret)."""
MICROSOFT_HOSTS = re.compile(
    r"(?:^|\.)(?:microsoftonline\.com|microsoft\.com|windows\.net|azure\.com|"
    r"office\.com|office365\.com|live\.com|sharepoint\.com|outlook\.com|azure\.net)$",
    re.IGNORECASE,
)


def extract_indicators(text: str) -> list[Indicator]:
    """Every indicator of `text`, each once (first line), in order of appearance."""
    found: dict[tuple[IndicatorKind, str], Indicator] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#!"):
            continue  # the interpreter a script names is no indicator
        for kind, value, note in _line_indicators(line[:MAX_LINE_CHARS]):
            key = (kind, value.lower())
            if key not in found:
                found[key] = Indicator(kind=kind, value=value, line=number, note=note)
    return list(found.values())


def _line_indicators(line: str) -> Iterator[tuple[IndicatorKind, str, str]]:
    taken: list[tuple[int, int]] = []
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_TRAILING)
        taken.append((match.start(), match.start() + len(url)))
        yield IndicatorKind.url, url, ""
        for host in [_host(url), *(m.group(1) for m in _NESTED_URL.finditer(url, 8))]:
            if _valid_ip(host):
                yield IndicatorKind.ip, host, ""
            elif "." in host and not host.startswith("$"):
                yield IndicatorKind.domain, host.lower(), _host_note(host)
    for match in _EMAIL.finditer(line):
        taken.append(match.span())
        yield IndicatorKind.user, match.group(0), ""
    for match in _USER_PARAMETER.finditer(line):
        value = match.group(1)
        if "@" not in value and not value.startswith("$"):
            yield IndicatorKind.user, value, ""
    for pattern, kind in ((_REGISTRY, IndicatorKind.registry_key),):
        for match in pattern.finditer(line):
            taken.append(match.span())
            yield kind, match.group(0).rstrip(_TRAILING), ""
    for pattern in (_WINDOWS_PATH, _UNIX_PATH):
        for match in pattern.finditer(line):
            path = match.group(0).rstrip(_TRAILING + " ")
            if _inside(match.start(), taken) or path.startswith("\\\\.\\"):
                continue  # \\.\ is the local machine's device or WMI namespace, not a file
            taken.append(match.span())
            yield IndicatorKind.file_path, path[:2] + path[2:].replace("\\\\", "\\"), ""
    for match in _IPV4.finditer(line):
        value = match.group(0)
        if _inside(match.start(), taken) or not _valid_ip(value.split("/")[0]):
            continue
        if _VERSION_BEFORE.search(line[max(0, match.start() - 12) : match.start()]):
            continue
        yield IndicatorKind.ip, value, ""
    for match in _DOMAIN.finditer(line):
        host = match.group(0)
        if _inside(match.start(), taken) or _NOT_HOSTS.match(host):
            continue
        yield IndicatorKind.domain, host.lower(), _host_note(host)
    for match in _GUID.finditer(line):
        yield _guid(line, match)
    for match in _HASH.finditer(line):
        if not _inside(match.start(), taken):
            yield IndicatorKind.hash, match.group(0).lower(), _hash_note(match.group(0))


def _guid(line: str, match: re.Match[str]) -> tuple[IndicatorKind, str, str]:
    value = match.group(0).lower()
    if value in WELL_KNOWN_APPS:
        return IndicatorKind.app_id, value, WELL_KNOWN_APPS[value]
    role = privileged_role(value)
    if role is not None:
        return IndicatorKind.guid, value, f"the {role.display_name} role"
    before = line[max(0, match.start() - _CONTEXT_CHARS) : match.start()]
    tail = re.split(r"[;|]|\s-(?=\w)", before)[-1] if before else ""
    context = tail or before
    if _TENANT_CONTEXT.search(context) or before.lower().endswith("microsoftonline.com/"):
        return IndicatorKind.tenant_id, value, ""
    if _APP_CONTEXT.search(context):
        return IndicatorKind.app_id, value, ""
    return IndicatorKind.guid, value, ""


def _host(url: str) -> str:
    rest = re.sub(r"^[a-z]+://(?:[^@/]*@)?", "", url, flags=re.I)
    return re.split(r"[/?#]", rest)[0].split(":")[0]


def _valid_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not (address.is_unspecified or str(address).startswith("255."))


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _host_note(host: str) -> str:
    return "a Microsoft service endpoint" if MICROSOFT_HOSTS.search(host) else ""


def _hash_note(value: str) -> str:
    return {32: "MD5", 40: "SHA-1", 64: "SHA-256"}[len(value)]
