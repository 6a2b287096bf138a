"""Requests plainly outside identity administration, even when they mention the tenant's places
or teams: "push a GPO that maps a drive for the Kraków office", "swap Saturday's night shift
at the Valencia plant", "the wind forecast for the Bergen offshore park", "write a leave
application to my manager".

The intent model is unsure of such prompts, and a place or team the tenant knows makes them look
about the tenant, so a skill would run on a guess. A prompt is off topic when it says not one
word of identity work (sign-ins, accounts, roles, groups, apps, policies, MFA, risk, audit and
the like) and either asks for an action idpilot does not take anywhere (installing, restarting,
booking, ordering, swapping shifts) or is about a subject no tenant holds (weather, sport,
shifts, invoices, leave). A single identity word keeps the prompt in scope: this only refuses
what has nothing to read in the tenant.
"""

from __future__ import annotations

import re

IDENTITY_WORDS = re.compile(
    r"\b(?:sign(?:ed|ing)?[- ]?(?:in|on|out)s?|log(?:ged|ging)?[- ]?(?:in|on)s?|logins?|"
    r"logons?|mfa|2fa|multi-?factor|authenticat\w*|passwords?|passkeys?|fido2?|"
    r"accounts?|users?|upns?|admins?|administrators?|roles?|pim|groups?|members?|owners?|"
    r"apps?|(?<!leave\s)(?<!job\s)(?<!visa\s)applications?|service\s+principals?|"
    r"polic(?:y|ies)|conditional\s+access|ca|risk\w*|audit\w*|licen[cs]\w*|devices?|"
    r"tokens?|sessions?|entra|aad|azure\s+ad|active\s+directory|tenant|guests?|"
    r"permissions?|consents?|secrets?|certificates?|credentials?|directory|identit\w*|"
    r"access|kql|queries|query|logs?|reports?|posture|workflows?|onboard\w*|offboard\w*|"
    r"locked|lockouts?|disabled?|enabled?|phish\w*|spray\w*|attack\w*|breach\w*|"
    r"compromis\w*|ip|ips|vpn|tor|intune|compliant|compliance|sspr|tap|script\w*|"
    r"error|errors|aadsts\d*|joiners?|joined|leavers?|movers?|starters?|hires?|mailbox\w*|"
    r"push[\s-]*(?:bomb\w*|notifications?|spam\w*|prompts?|approvals?|fatigue)|prompts?|"
    r"notifications?|approv\w*|outlook|teams|sharepoint|onedrive|office\s*365|m365|exchange|imap|pop3?|smtp|"
    r"blocked|failing|failed|fails?|locked|hacked|suspicious|unusual|"
    r"kick(?:ed|s|ing)?\s+(?:\w+\s+)?out|(?:can'?t|cannot|couldn'?t)\s+get\s+in(?:to)?)\b",
    re.I,
)
"""Words of identity and access work: one of them and the prompt is not refused here."""
_ACTION_ELSEWHERE = re.compile(
    r"\b(?:push|deploy|install|uninstall|restart|reboot|power[- ]cycle|swap|map|book|order|"
    r"buy|purchase|ship|print|pay|transfer|reschedule|cancel|invoice|translate)\b",
    re.I,
)
"""Actions idpilot takes nowhere (it reads the tenant and drafts proposals)."""
_OTHER_SUBJECTS = re.compile(
    r"\b(?:weather|forecast|rain|snow|wind\s+speed|football|footy|soccer|cricket|rugby|"
    r"recipes?|lunch|dinner|menu|canteen|parking|shifts?|rotas?|"
    r"invoices?|salary|salaries|payslips?|exposure\s+score|leave\s+(?:days|application|"
    r"request|balance)|stocks?|shares|crypto|bitcoin)\b",
    re.I,
)
"""Subjects no tenant holds."""


_DEVICE_ACTION = re.compile(
    r"\b(?:remote(?:ly)?[- ]?wipe[sd]?|wipe[sd]?|factory[- ]reset|re-?image|retire|"
    r"remote(?:ly)?[- ]lock|collect\s+diagnostics)\b[^.?!]{0,60}?\b(?:laptops?|devices?|"
    r"phones?|tablets?|pcs?|computers?|desktops?|macs?|macbooks?|iphones?|ipads?|mobiles?|"
    r"handsets?|surfaces?)\b",
    re.I,
)
"""An action on a device (Intune's wipe, retire, remote lock): no tenant read answers it."""
_QUESTION = re.compile(r"[^.?!]*\?")


def off_topic(prompt: str) -> bool:
    """Whether the prompt asks nothing of identity work (see the module).

    When the prompt asks questions, they decide: "what's a good place for a team lunch? we're
    celebrating passing the audit" asks of lunch, whatever the statement after it speaks of.
    """
    questions = _QUESTION.findall(prompt)
    asked = " ".join(questions) if questions else prompt
    if IDENTITY_WORDS.search(asked) or (not questions and IDENTITY_WORDS.search(prompt)):
        return False
    if questions and IDENTITY_WORDS.search(prompt):
        # An identity word outside the questions keeps a bare "any idea?" in scope; only a
        # question that names another subject or action is refused.
        return bool(_ACTION_ELSEWHERE.search(asked) or _OTHER_SUBJECTS.search(asked))
    return bool(_ACTION_ELSEWHERE.search(prompt) or _OTHER_SUBJECTS.search(prompt))


def device_action(prompt: str) -> bool:
    """Whether the prompt asks for an action on a device ("remote wipe Alice's laptop"): refused
    even when it names a person, since idpilot reads the tenant and acts on no device."""
    return bool(_DEVICE_ACTION.search(prompt))
