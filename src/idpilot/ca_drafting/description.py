"""An admin's description of a Conditional Access policy, read into typed parts.

Pure: words in, a `PolicyDescription` out. Each part records the words that said it; words
that no part explains are listed in `not_expressed`, so a draft never silently drops what was
asked ("block downloads on unmanaged devices" needs session controls this reader does not
write, and says so).
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, Field

from idpilot.conditional_access.catalog import (
    MFA_STRENGTH_ID,
    PASSWORDLESS_MFA_STRENGTH_ID,
    PHISHING_RESISTANT_MFA_STRENGTH_ID,
    ApplicationTarget,
    BuiltInControl,
)
from idpilot.knowledge.draft_requests import ASKED_TO_DRAFT
from idpilot.knowledge.privileged_roles import privileged_role

ADMIN_ROLE_TEMPLATE_IDS: tuple[str, ...] = (
    "62e90394-69f5-4237-9190-012177145e10",  # Global Administrator
    "194ae4cb-b126-40b2-bd5b-6091b380977d",  # Security Administrator
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",  # SharePoint Administrator
    "29232cdf-9323-42fd-ade2-1d097af3e4de",  # Exchange Administrator
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",  # Conditional Access Administrator
    "729827e3-9c14-49f7-bb1b-9608f156bbb8",  # Helpdesk Administrator
    "b0f54661-2d74-4c50-afa3-1ec803f12efe",  # Billing Administrator
    "fe930be7-5e62-47db-91af-98c3a49a38b1",  # User Administrator
    "c4e39bd9-1100-46d3-8c65-fb160da0071f",  # Authentication Administrator
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",  # Application Administrator
    "158c047a-c907-4556-b7ef-446551a6b5f7",  # Cloud Application Administrator
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",  # Privileged Authentication Administrator
    "e8611ab8-c189-46e8-94e1-60213ab1f814",  # Privileged Role Administrator
    "3a2c62db-5318-420d-8d74-23affee5d9d5",  # Intune Administrator
)
"""The 14 roles of Microsoft's "Require MFA for administrators" policy template."""
BUILT_IN_ROLE_NAMES = {"b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator"}
"""Template roles `knowledge.privileged_roles` does not list, by their built-in names."""

REGISTER_SECURITY_INFO = "urn:user:registersecurityinfo"
LEGACY_CLIENTS = ("exchangeActiveSync", "other")
_EXCEPT = (
    r"(?:except(?:\s+for)?|excluding|excl\.?|exclude|but not|other than|apart from|without|"
    r"minus|leaving out|not counting)"
)
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "be",
        "that",
        "this",
        "it",
        "its",
        "our",
        "my",
        "me",
        "i",
        "we",
        "you",
        "your",
        "please",
        "can",
        "could",
        "would",
        "should",
        "will",
        "need",
        "want",
        "new",
        "write",
        "create",
        "draft",
        "make",
        "build",
        "design",
        "define",
        "propose",
        "suggest",
        "generate",
        "help",
        "set",
        "up",
        "policy",
        "policies",
        "conditional",
        "access",
        "ca",
        "rule",
        "json",
        "so",
        "they",
        "them",
        "who",
        "which",
        "when",
        "all",
        "any",
        "every",
        "users",
        "user",
        "accounts",
        "account",
        "each",
        "only",
        "must",
        "just",
        "also",
        "their",
        "there",
        "how",
        "do",
        "does",
        "require",
        "requires",
        "required",
        "requiring",
        "force",
        "forces",
        "enforce",
        "enforces",
        "when",
        "if",
        "sign-in",
        "sign-ins",
        "signin",
        "signins",
        "sign",
        "in",
        "ins",
        "logins",
        "login",
        "always",
    ]
)


class UserScope(StrEnum):
    """Who a described policy is for, before exclusions."""

    all_users = "allUsers"
    admins = "admins"
    roles = "roles"
    guests = "guests"


class PolicyDescription(BaseModel):
    """The typed reading of a described policy: who, which apps, when, then what."""

    text: str
    scope: UserScope = UserScope.all_users
    scope_assumed: bool = False
    """No user target was said: all users is assumed (and the draft says so)."""
    role_template_ids: list[str] = Field(default_factory=list)
    exclude_break_glass: bool = False
    exclude_service_accounts: bool = False
    exclude_guests: bool = False
    applications: list[str] = Field(default_factory=lambda: [ApplicationTarget.all.value])
    user_actions: list[str] = Field(default_factory=list)
    client_app_types: list[str] = Field(default_factory=list)
    sign_in_risk_levels: list[str] = Field(default_factory=list)
    user_risk_levels: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    outside_trusted_locations: bool = False
    device_code_flow: bool = False
    block: bool = False
    built_in_controls: list[str] = Field(default_factory=list)
    authentication_strength_id: str | None = None
    understood: list[str] = Field(default_factory=list)
    """The phrases each part was read from, in the order found."""
    not_expressed: list[str] = Field(default_factory=list)
    """What the description asks that the draft cannot express, each with the reason."""

    @property
    def has_control(self) -> bool:
        """Whether the description says what the policy does (block or a grant control)."""
        return self.block or bool(self.built_in_controls) or bool(self.authentication_strength_id)


class _Reader:
    """Reads one description, remembering which spans of text were explained."""

    def __init__(self, text: str) -> None:
        self.text = " ".join(text.replace("’", "'").split())
        self.lower = self.text.lower()
        self.used = [False] * len(self.lower)
        self.found: list[str] = []

    def find(self, pattern: str) -> re.Match[str] | None:
        """The first match of `pattern`, its span marked as explained."""
        match = re.search(pattern, self.lower)
        if match:
            self.mark(match)
        return match

    def find_all(self, pattern: str) -> list[re.Match[str]]:
        """Every match of `pattern`, each span marked as explained."""
        matches = list(re.finditer(pattern, self.lower))
        for match in matches:
            self.mark(match)
        return matches

    def mark(self, match: re.Match[str]) -> None:
        """Mark a match's span explained and record its words."""
        for index in range(match.start(), match.end()):
            self.used[index] = True
        self.found.append(self.text[match.start() : match.end()])

    def leftover_words(self) -> list[str]:
        """Runs of unexplained words that are not filler, as phrases."""
        phrases: list[list[str]] = [[]]
        for word in re.finditer(r"[\w'-]+", self.lower):
            if any(self.used[word.start() : word.end()]):
                phrases.append([])
                continue
            if word.group(0) in _STOP_WORDS or word.group(0).isdigit():
                if phrases[-1]:
                    phrases.append([])
                continue
            phrases[-1].append(self.text[word.start() : word.end()])
        return [" ".join(p) for p in phrases if p]


_STRENGTHS = (
    (r"phishing[- ]?resistant(?:\s+(?:mfa|multi-?factor(?:\s+authentication)?|auth\w*))?",
     PHISHING_RESISTANT_MFA_STRENGTH_ID),
    (r"passwordless(?:\s+(?:mfa|multi-?factor(?:\s+authentication)?|sign-?ins?))?",
     PASSWORDLESS_MFA_STRENGTH_ID),
    (r"(?:mfa|multi-?factor) (?:authentication )?strength", MFA_STRENGTH_ID),
)  # fmt: skip
_CONTROLS = (
    (r"\b(?:mfa|multi-?factor(?:\s+authentication)?|2fa|two[- ]factor(?:\s+auth\w*)?)\b",
     BuiltInControl.mfa),
    (r"\bcompliant (?:devices?|laptops?|machines?)\b", BuiltInControl.compliant_device),
    (r"\b(?:hybrid[- ]joined|domain[- ]joined)(?: devices?)?\b",
     BuiltInControl.domain_joined_device),
    (r"\bapproved (?:client )?apps?\b", BuiltInControl.approved_application),
    (r"\bapp protection(?: polic(?:y|ies))?\b", BuiltInControl.compliant_application),
    (r"\bpassword (?:change|reset)\b|\bchange (?:their |the )?passwords?\b",
     BuiltInControl.password_change),
)  # fmt: skip
_APPS = (
    (r"\ball (?:cloud )?(?:apps|applications|resources)\b", ApplicationTarget.all.value),
    (r"\b(?:office|microsoft) 365\b|\bo365\b|\bm365\b|\be-?mail\b|\bexchange(?: online)?\b"
     r"|\boutlook\b|\bsharepoint\b|\bteams\b|\bonedrive\b", ApplicationTarget.office365.value),
    (r"\b(?:azure|entra|microsoft 365|exchange) (?:portal|admin cent(?:er|re))s?\b"
     r"|\badmin portals?\b|\bazure management\b", ApplicationTarget.microsoft_admin_portals.value),
)  # fmt: skip
_PLATFORMS = {
    "iOS": r"\b(?:ios|iphones?|ipads?)\b",
    "android": r"\bandroid\b",
    "windows": r"\bwindows\b",
    "macOS": r"\bmac ?os\b|\bmacs?\b|\bmacbooks?\b",
    "linux": r"\blinux\b",
}
_RISK = r"(?:low|medium|high)(?:(?:,| or| and|/)\s*(?:low|medium|high))*"
_NOT_EXPRESSED = (
    (r"\bterms of use\b", "a draft cannot name a terms-of-use document the "
     "tenant has not published; add its id to grantControls.termsOfUse"),
    (r"\bsession (?:lifetime|length|timeout)s?\b|\bsign-?in frequency\b|\bdownload\w*\b"
     r"|\bpersistent browser\b|\bcloud app security\b|\bapp-enforced\b",
     "this draft writes grant controls only, not session controls"),
    (r"\bunmanaged devices?\b|\bbyod\b|\bpersonal devices?\b",
     "as a condition this needs a device filter; 'require a compliant device' is the usual "
     "grant control for it"),
    (r"\b(?:country|countries|geo-?block\w*|region)\b|\bfrom (?:outside )?[A-Z][a-z]+\b",
     "a country condition needs a countries named location (a draft creates none)"),
    (r"\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d+)?\b|\boffice ip\b|\bip (?:address|range)s?\b",
     "an IP condition needs an IP named location (a draft creates none)"),
    (r"\b(?:group|team|department)\s+[\w-]+", "a draft targets roles, guests or all users; "
     "put a group's object id in the JSON and run `idpilot ca check`"),
)  # fmt: skip


_EXCLUSIONS = (
    (r"\b(?:break[- ]?glass|emergency(?:[- ]access)?|bg)(?: accounts?| admins?)?\b",
     "exclude_break_glass"),
    (r"\b(?:service accounts?|svc accounts?|non-?interactive accounts?)\b",
     "exclude_service_accounts"),
    (r"\b(?:guests?|external users?)\b", "exclude_guests"),
)  # fmt: skip


_ASKED_TO_DRAFT = re.compile(
    ASKED_TO_DRAFT + r"\s*(?:that\s+|to\s+|which\s+|for\s+)?[:,-]?\s*",
    re.I,
)
"""The request itself ("Draft a CA policy: ..."): not a part of the policy."""
_IMPACT_ASKED = re.compile(
    r"(?:^|(?<=[.?!:;]))\s*(?:and\s+)?(?:what|who|which\s+\w+|how\s+many(?:\s+\w+)?)\s+"
    r"(?:would|will|could|might|does|do)\s+(?:it|this|that|the\s+policy)\s+"
    r"(?:break|affect|block|impact|hit|catch|stop|lock\s+out)\b[^.?!]*[.?!]?\s*$",
    re.I,
)
"""A question about the draft's impact after its description ("What would it break?"): the
draft's replay answers it; it is not a part of the policy."""


def policy_words(text: str) -> str:
    """The words that describe the policy: without the request to draft it or a closing
    question about its impact."""
    joined = " ".join(text.split())
    asked = _ASKED_TO_DRAFT.search(joined)
    if asked is None:
        words = joined
    elif asked.start() > 0 and asked.end() < len(joined):
        # "CA070 is broken. Draft a replacement that requires ...": what follows the request.
        words = joined[asked.end() :]
    else:
        words = joined[: asked.start()] + " " + joined[asked.end() :]
    return _IMPACT_ASKED.sub("", words).strip() or text


def read_description(text: str) -> PolicyDescription:
    """Read an admin's description of a policy into typed parts, and what could not be."""
    reader = _Reader(policy_words(text))
    found = PolicyDescription(text=reader.text)
    _read_exclusions(reader, found)
    _read_users(reader, found)
    _read_controls(reader, found)
    _read_apps(reader, found)
    _read_conditions(reader, found)
    # Every draft is report-only until enabled: saying so is understood.
    reader.find(r"\breport[- ]only(?:\s+(?:first|mode|to\s+start|at\s+first))?\b")
    for pattern, reason in _NOT_EXPRESSED:
        source = reader.text if pattern.startswith(r"\b(?:country") else reader.lower
        match = re.search(pattern, source)
        if match and not any(reader.used[match.start() : match.end()]):
            reader.mark(match)
            found.not_expressed.append(f"{match.group(0)}: {reason}")
    found.not_expressed += [f"{words}: not understood" for words in reader.leftover_words()]
    if not found.has_control:
        found.not_expressed.append(
            "what the policy does: say block, require MFA, phishing-resistant MFA, a compliant "
            "device..."
        )
    found.understood = reader.found
    return found


def _read_exclusions(reader: _Reader, found: PolicyDescription) -> None:
    """What follows "except" ("except break-glass"), or what is said to be excluded ("both
    break-glass accounts excluded"): the accounts taken out."""
    for pattern, attribute in _EXCLUSIONS:
        after = re.compile(
            rf"(?:\b(?:both|all|the|our)\s+)?{pattern}\s+(?:(?:are|is|being|get|stay)\s+)?"
            r"(?:excluded|exempt(?:ed)?|left\s+out|kept\s+out)\b"
            rf"|\b(?:leave|leaving|keep|keeping)\s+(?:the\s+|our\s+|both\s+)?{pattern}\s+out\b"
        ).search(reader.lower)
        if after:
            reader.mark(after)
            setattr(found, attribute, True)
    word = reader.find(rf"\b{_EXCEPT}\b")
    if word is None:
        return
    for pattern, attribute in _EXCLUSIONS:
        match = re.compile(pattern).search(reader.lower, word.end())
        if match:
            reader.mark(match)
            setattr(found, attribute, True)


_ROLE_INITIALS = {
    "GA": "62e90394-69f5-4237-9190-012177145e10",
    "PRA": "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "PAA": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
}
"""Roles admins write by their initials, in capitals: Global Administrator, Privileged Role
Administrator, Privileged Authentication Administrator."""


def _read_users(reader: _Reader, found: PolicyDescription) -> None:
    named: list[str] = [
        template_id
        for initials, template_id in _ROLE_INITIALS.items()
        if re.search(rf"\b{initials}(?:s|'s)?\b", reader.text)
        and reader.find(rf"\b{initials.lower()}s?\b")
    ]
    for match in re.finditer(r"\b([a-z][a-z ]{2,40}? administrators?)\b", reader.lower):
        for template_id in ADMIN_ROLE_TEMPLATE_IDS:
            role = privileged_role(template_id)
            if role and match.group(1).rstrip("s").endswith(role.display_name.lower()):
                start = match.end(1) - len(role.display_name) - (match.group(1).endswith("s"))
                span = re.search(re.escape(role.display_name.lower()) + "s?", reader.lower[start:])
                if span:
                    for index in range(start + span.start(), start + span.end()):
                        reader.used[index] = True
                    reader.found.append(role.display_name)
                named.append(template_id)
    if named:
        found.scope = UserScope.roles
        found.role_template_ids = list(dict.fromkeys(named))
    elif reader.find(r"\b(?:(?:admin|administrator) (?:roles?|accounts)|admins?|administrators?|"
                     r"privileged (?:users|accounts|roles|identities))\b"):  # fmt: skip
        found.scope = UserScope.admins
        found.role_template_ids = list(ADMIN_ROLE_TEMPLATE_IDS)
    elif not found.exclude_guests and reader.find(r"\b(?:guests?|external users?|b2b users?)\b"):
        found.scope = UserScope.guests
    elif reader.find(r"\b(?:everyone|all users|all (?:our )?(?:staff|employees)|every user)\b"):
        found.scope = UserScope.all_users
    else:
        found.scope_assumed = True


def _read_controls(reader: _Reader, found: PolicyDescription) -> None:
    for pattern, strength in _STRENGTHS:
        if reader.find(rf"\b{pattern}\b"):
            found.authentication_strength_id = strength
            break
    if reader.find(r"\b(?:block\w*|deny|denies|prevent\w*|disallow\w*|stops?)\b"):
        found.block = True
    for pattern, control in _CONTROLS:
        matches = reader.find_all(pattern)
        if not matches:
            continue
        if control is BuiltInControl.mfa and found.authentication_strength_id:
            continue  # "phishing-resistant MFA": the strength says it
        found.built_in_controls.append(control.value)
    if found.block:
        found.built_in_controls = []
        found.authentication_strength_id = None


def _read_apps(reader: _Reader, found: PolicyDescription) -> None:
    targets = [target for pattern, target in _APPS if reader.find_all(pattern)]
    if reader.find(r"\b(?:security info(?:rmation)? registration|regist\w* (?:of )?(?:their )?"
                   r"security info(?:rmation)?|mfa registration)\b"):  # fmt: skip
        found.user_actions = [REGISTER_SECURITY_INFO]
        found.applications = []
        return
    if ApplicationTarget.all.value in targets or not targets:
        found.applications = [ApplicationTarget.all.value]
    else:
        found.applications = targets


def _read_conditions(reader: _Reader, found: PolicyDescription) -> None:
    if reader.find(r"\blegacy (?:auth\w*|protocols?|clients?)\b|\b(?:imap|pop3?|smtp auth)\b"):
        found.client_app_types = list(LEGACY_CLIENTS)
    if match := reader.find(rf"\b(?:sign-?in risk (?:is |of )?{_RISK}|{_RISK}(?: sign-?in)? risk"
                            r"(?:y)? sign-?ins?|" + _RISK + r" sign-?in risk)\b"):  # fmt: skip
        found.sign_in_risk_levels = _levels(match.group(0))
    if match := reader.find(rf"\b(?:user risk (?:is |of )?{_RISK}|{_RISK} user risk|"
                            rf"{_RISK}[- ]risk users?|risky users)\b"):  # fmt: skip
        found.user_risk_levels = _levels(match.group(0)) or ["high"]
    for platform, pattern in _PLATFORMS.items():
        if reader.find(pattern):
            found.platforms.append(platform)
    if reader.find(r"\b(?:outside|off|not from|away from|except from|unless (?:on|from)) (?:the |"
                   r"our |a |any )?(?:trusted (?:locations?|networks?|ips?)|office|corporate "
                   r"network|company network|network)\b|\boff-?network\b|\buntrusted "
                   r"(?:locations?|networks?)\b"):  # fmt: skip
        found.outside_trusted_locations = True
    if reader.find(r"\bdevice code(?: flow| authentication| sign-?ins?)?\b"):
        found.device_code_flow = True
        if not found.has_control:
            found.block = True


def _levels(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\b(low|medium|high)\b", text)))
