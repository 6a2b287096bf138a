"""Reading list filters ("disabled guests with licences created this month") from a prompt.

Each filter is typed (the skill's input field of the same name); what a prompt states as a
condition but no filter here can express is reported separately, so an answer can say which
condition it did not apply instead of answering with the unfiltered figure.
"""

from __future__ import annotations

import re
from typing import Any

DEFAULT_INACTIVE_DAYS = 90
"""'Stale' / 'inactive' without a number: Microsoft's access-review guidance uses 90 days."""

_NOT_SIGNED_IN = (
    r"\b(?:no sign-?ins?|no log-?ins?|inactive|(?:not|ha(?:s|ve)n['’]?t|ha(?:s|ve) not|"
    r"did ?n['’]?t|did not)\s+(?:yet\s+|even\s+)?(?:signed|logged|log|sign)\s*(?:in|on))\b"
)
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3,
}  # fmt: skip
_INACTIVE_DAYS = re.compile(
    _NOT_SIGNED_IN
    + r"[^0-9]{0,30}?\b(\d+|"
    + "|".join(sorted(_COUNT_WORDS, key=len)[::-1])
    + r")\s*(day|week|month)s?\b"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}
_INACTIVE_IN_WINDOW = re.compile(_NOT_SIGNED_IN)
"""Not signed in, with no span of its own ("who hasn't signed in this month?"): since the
start of the window the prompt states."""


class _Reader:
    """Finds phrases in a prompt and remembers which parts of it they explained."""

    def __init__(self, prompt: str) -> None:
        self.written = " ".join(prompt.split())
        self.text = self.written.lower()
        self.consumed: list[tuple[int, int]] = []

    def has(self, *phrases: str) -> bool:
        """True when one of the patterns occurs as whole words (its span is consumed)."""
        for phrase in phrases:
            if match := re.search(rf"\b{phrase}\b", self.text):
                self.consumed.append(match.span())
                return True
        return False

    def has_written(self, word: str) -> bool:
        """True when `word` occurs as a whole word written exactly so, case included ("IT",
        not the pronoun "it"); its span is consumed."""
        if match := re.search(rf"\b{re.escape(word)}\b", self.written):
            self.consumed.append(match.span())
            return True
        return False

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """`pattern.search`, consuming the span it matches."""
        if match := pattern.search(self.text):
            self.consumed.append(match.span())
        return match

    def unexplained(
        self, conditions: re.Pattern[str], known: list[str], names: tuple[str, ...] = ()
    ) -> list[str]:
        """Condition phrases of the prompt that no reading consumed and no known phrase covers;
        the words of `names` (objects the prompt names) do not count as a condition."""
        left = []
        for match in conditions.finditer(self.text):
            start, end = match.span()
            if any(s < end and start < e for s, e in self.consumed):
                continue
            phrase = match.group(0).strip(" ,.?!")
            if any(k and k in phrase for k in known):
                continue
            rest = phrase
            for name in sorted(names, key=len, reverse=True):
                rest = rest.replace(name.lower(), " ")
            if len(_CONTENT.findall(rest)) > 1:  # more than the qualifier word itself
                left.append(phrase)
        return left


_CONTENT = re.compile(r"[a-z0-9]{3,}")
# A qualifier that restricts a list: "with a compliant windows laptop", "who use SMS",
# "that have no owner". What follows the qualifier up to a clause boundary is the condition.
CONDITION = re.compile(
    r"(?<=\w )(?<!and )(?<!or )(?<!but )(?<!deal )(?<!dealt )(?<!deals )(?<!dealing )"
    r"(?<!help )(?<!done )(?<!cope )(?<!go )"
    r"(?:with|without|who(?: have| has| are| is| use| still| don'?t| do not| haven'?t)?|"
    r"that (?:have|has|are|is|use)|having|whose|using)\s+[^,.;?!]+"
)
"""A qualifier after a word ("guests who ..."), not a question word opening the prompt, nor
the second word of a verb ("users I need to deal with today")."""


def user_filters(prompt: str, departments: list[str]) -> dict[str, Any]:
    """Typed list_users filters found in free text (only the ones the text states)."""
    return read_user_filters(prompt, departments)[0]


def read_user_filters(prompt: str, departments: list[str]) -> tuple[dict[str, Any], _Reader]:
    """Typed list_users filters, and the reader that knows which words they explained."""
    reader = _Reader(prompt)
    has = reader.has
    found: dict[str, Any] = {}
    if has(
        _EXCLUDING + r"\s*" + _LISTED_BEFORE + r"(?:the\s+|any\s+)?guests?",
        "members? only",
        "only members?",
    ) or has("member accounts?", "internal users?", "employees"):
        found["user_type"] = "Member"  # "member accounts (not guests)", "non-guest users"
    elif has("guests?", "external users?", "b2b"):
        found["user_type"] = "Guest"
    if has(
        "disabled", "blocked from sign-?in", "deactivated", "suspended", r"(?:switched|turned) off"
    ):
        found["account_enabled"] = False
    elif has("enabled accounts?", "active accounts?", r"(?:still|are|is|currently) enabled"):
        found["account_enabled"] = True
    if has("unlicensed", "without (?:a |any )?licen[cs]es?", "no licen[cs]es?"):
        found["has_licences"] = False
    elif has("licen[cs]ed", "licen[cs]es?"):
        found["has_licences"] = True
    if has(
        "never signed in",
        "never logged in",
        "never used",
        "never signed-in",
        r"(?:has ?n[o'’]t|have ?n[o'’]t|has not|have not|did ?n[o'’]t|did not|not)"
        r"(?: yet| ever| even)? (?:signed|logged) ?in(?: (?:even )?once| at all| yet| ever)",
    ):
        found["never_signed_in"] = True
    elif match := reader.search(_INACTIVE_DAYS):
        count = match.group(1)
        number = int(count) if count.isdigit() else _COUNT_WORDS[count]
        found["inactive_days"] = number * _UNIT_DAYS[match.group(2)]
    elif has("stale", "dormant"):
        found["inactive_days"] = DEFAULT_INACTIVE_DAYS
    elif reader.search(_INACTIVE_IN_WINDOW):
        found["inactive_in_window"] = True  # the days come from the window (`read_stated`)
    if has("created", "new", "added", "joined", "invited"):
        found["created_in_window"] = True
    if has(
        r"no (?:mfa|multi-?factor)(?: methods?)?",
        r"without (?:any |an )?(?:mfa|multi-?factor)",
        r"(?:not|never|haven'?t|hasn'?t|not yet) (?:been )?(?:registered|set up|enrolled)"
        r"(?: (?:for|in|with))? (?:mfa|multi-?factor|any (?:mfa )?methods?)",
        r"unregistered for mfa",
        r"(?:haven'?t|hasn'?t|have not|has not|don'?t have|doesn'?t have|do not have|"
        r"does not have)\s+(?:got\s+)?(?:any\s+|an?\s+)?(?:mfa|multi-?factor|2fa)"
        r"(?:\s+methods?)?\s+(?:registered|set up|enrolled)",
        r"no (?:authentication|auth) methods?",
    ):
        found["mfa_registered"] = False
    elif has(r"(?:registered|enrolled|set up) (?:for |with )?(?:mfa|multi-?factor)"):
        found["mfa_registered"] = True
    if has(
        r"(?:only|just|solely|still on|still using|still only have|still only)"
        r"(?: (?:use|uses|using|have|has|had|rely on|relies on|registered|got))?(?: an?| the)? "
        r"(?:sms|text messages?|texts|phone|voice)",
        r"sms[- ]only",
        r"only (?:second factor|2fa|mfa(?: method)?|(?:authentication |auth )?method|factor)"
        r" (?:is|are) (?:an? )?(?:sms|text messages?|texts|phone|voice)",
        r"(?:sms|text messages?|texts|phone calls?|voice)(?: codes?)? only",
        r"(?:sms|text messages?|texts|phone|voice)(?: codes?)? as (?:their|the|his|her|its|"
        r"an?) only (?:mfa|2fa|second factor|(?:authentication |auth )?method|factor)",
    ):
        found["sms_only"] = True
    if has(
        r"weak (?:mfa|multi-?factor|2fa|auth\w*|methods?|second factors?|sign-?in methods?)",
        r"(?:mfa|2fa|auth\w*) (?:is|are) weak",
        r"(?:no|without(?: any| a)?|lacking(?: a)?) strong (?:mfa|2fa|auth\w*|methods?)",
    ):
        found["weak_mfa"] = True  # no MFA at all, or only SMS or voice calls
    if has(_EXCLUDING + r"\s*" + _LISTED_BEFORE + r"(?:the\s+|any\s+|our\s+)?service[- ]accounts?"):
        found["service_accounts"] = False  # "apart from service accounts"
    elif has(r"service accounts?"):
        found["service_accounts"] = True
    if has(_EXCLUDING + r"\s*" + _LISTED_BEFORE + r"(?:the\s+|any\s+|our\s+)?" + _BREAK_GLASS):
        found["break_glass"] = False  # "leave out the break-glass accounts"
    if has("synced", "synchronized", "synchronised", "on-?prem(?:ises)?"):
        found["synced"] = True
    elif has("cloud-only", "cloud only"):
        found["synced"] = False
    for department in sorted(departments, key=len, reverse=True):
        # A department the tenant writes in capitals ("IT", "HR") is named only in capitals.
        acronym = department.isupper()
        if department and (
            reader.has_written(department) if acronym else has(re.escape(department.lower()))
        ):
            found["department"] = department
            said_at = reader.consumed[-1][0]
            if _OUTSIDE_DEPARTMENT.search(reader.text[:said_at]):
                found["department_excluded"] = True  # "members outside the IT department"
            break
    return found, reader


_EXCLUDING = (
    r"(?:except(?: for)?|apart from|other than|excluding|exclude|but not|besides|not counting|"
    r"leav(?:e|ing) out|aside from|minus|without|ignoring|ignore|skip|not|no|non-?)"
)
"""Words that set people aside ("leave out the guests", "apart from service accounts")."""
_LISTED_BEFORE = (
    r"(?:(?:the\s+|any\s+|our\s+)?[\w-]+\s+(?:accounts?|users?|admins?)\s+(?:and|or|,)\s+)?"
)
"""Another kind set aside first, in the same breath ("leave out the break-glass accounts and
guests")."""
_BREAK_GLASS = r"(?:break[- ]?glass|emergency(?:[- ]access)?)(?:\s+(?:accounts?|admins?|users?))?"
_OUTSIDE_DEPARTMENT = re.compile(
    r"\b(?:outside|not\s+in|not\s+from|not|non-?|except(?:\s+for)?|excluding|other\s+than|"
    r"apart\s+from|besides|but\s+not|aside\s+from)\s+(?:of\s+)?(?:the\s+|our\s+)?$"
)
"""Words just before a department that set its people aside ("outside the IT department")."""


def group_filters(prompt: str) -> dict[str, Any]:
    """Typed list_groups filters found in free text."""
    return read_group_filters(prompt)[0]


def read_group_filters(prompt: str) -> tuple[dict[str, Any], _Reader]:
    """Typed list_groups filters, and the reader that knows which words they explained."""
    reader = _Reader(prompt)
    has = reader.has
    found: dict[str, Any] = {}
    if has("role-?assignable", "role assignable", "can be assigned roles"):
        found["role_assignable"] = True
    if has("ownerless", "without (?:an |any )?owners?", "no owners?", "orphaned"):
        found["ownerless"] = True
    if has("empty", "without (?:any )?members", "no members"):
        found["empty"] = True
    if has("guests?", "external users?"):
        found["with_guests"] = True
    if has("dynamic"):
        found["dynamic"] = True
    elif has("assigned membership", "static"):
        found["dynamic"] = False
    if has("microsoft 365 groups?", "m365 groups?", "unified groups?"):
        found["unified"] = True
    if len(found) > 1 and (
        (_ALTERNATIVES.search(reader.text) and not _BOTH.search(reader.text))
        or _TWO_LISTS.search(reader.text)
    ):
        found["any_of"] = True  # "groups that are empty or have no owner"
    return found, reader


_ALTERNATIVES = re.compile(r"\bor\b")
_BOTH = re.compile(r"\b(?:and|both|but)\b")
_TWO_LISTS = re.compile(r"\bgroups\b.*\b(?:and|or|plus)\s+(?:also\s+)?(?:the\s+)?(?:groups|ones)\b")
"""Two lists asked at once ("empty groups and groups without owners"): either kind is listed."""
EXCEPTION = re.compile(
    r"\b(?:except(?:\s+for)?|apart\s+from|other\s+than|excluding|exclude|but\s+not|besides|"
    r"not\s+counting|leaving\s+out|aside\s+from|minus)\s+[^,.;?!]+"
)
"""An exception to a list ("disabled accounts, except the ones disabled in October"): a
condition like any other, applied when a filter reads it ("excluding guests"), else said."""
