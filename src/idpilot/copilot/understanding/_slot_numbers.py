"""Numbers a prompt states as conditions, and the form of its question.

* `number`: a limit or threshold ("top 5", "more than 10 failures", "at least three", "5 or
  more", "3 countries"). A count of time units is never a number ("last 7 days" is a window,
  "for 90 days" a span of days); "failed five times" states a fact, not a threshold.
* `days`: a span in days the prompt sets as a condition: inactivity ("no sign-in for 90 days",
  "inactive 60+ days", "haven't logged in in the last 3 months" -> 90) or a horizon ("expire in
  the next 30 days"). Weeks count 7 days, months 30, years 365.
* `question`: "count" ("how many", "number of"), "explain" ("why", "what does ... mean", a
  stated symptom), "yes_no" (a question opened by a verb: "is", "does", "can", "any ...?"),
  "list" ("which", "who", "list", "show", "top"), else "other". The first question decides a
  compound prompt, except that "how many" anywhere makes it a count.
"""

from __future__ import annotations

import re
from enum import StrEnum

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
_N = r"(\d{1,6}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(days?|weeks?|months?|years?|d|wks?)"
_UNIT_DAYS = {"d": 1, "day": 1, "wk": 7, "week": 7, "month": 30, "year": 365}
_TIME_UNIT_AFTER = re.compile(
    r"\s*\+?\s*(?:minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|months?|years?|yrs?|times?|"
    r"am|pm|st|nd|rd|th|%|percent|gb|mb|tb)\b",
    re.I,
)
_MARKED = re.compile(
    r"\b(?:top|(?:first|last)(?!\s+one\b)|(?:more|fewer|less|greater)\s+than|over|above|below|"
    r"under|exceeds?|"
    r"at\s+(?:least|most)|minimum\s+of|max(?:imum)?\s+of|>=?|<=?)\s*" + _N + r"\b"
    r"|\b" + _N + r"\s*(?:\+|or\s+(?:more|fewer|less|above|higher|over)\b)"
)
_COUNTED = re.compile(r"\b" + _N + r"\s+(?:(?:[a-z-]+)\s+)?([a-z-]+s|people|staff)\b")
_PRODUCT_BEFORE = re.compile(
    r"\b(?:windows|win|office|microsoft|m|ios|ipados|android|macos|os|version|v|build|server|"
    r"exchange|sql|iphone|ipad|pixel|galaxy|surface|e|p|type|tier|level|group|policy|ca)\s*$"
)
_NOT_COUNTED = frozenset({"times", "minutes", "hours", "days", "weeks", "months", "years", "is"})
_DAYS = re.compile(
    r"(?:\b(?P<lead>for|in|over|than|within|since|past|last|next|longer\s+than|older\s+than|"
    r"more\s+than|at\s+least)\s+(?:the\s+)?(?:(?:last|past|next)\s+)?)?\b(?P<n>"
    + _N[1:-1] + r")\s*(?P<plus>\+)?\s*(?P<unit>" + _UNIT[1:-1] + r")\b(?!\s+ago)"
)  # fmt: skip
_INACTIVITY = re.compile(
    r"\b(?:haven[’']?t|hasn[’']?t|have\s+not|has\s+not|hadn[’']?t|not\s+(?:signed|logged|used|"
    r"seen|active)|no\s+(?:sign-?ins?|log-?ins?|logons?|activity)|never|inactive|inactivity|"
    r"stale|dormant|idle|unused|without\s+(?:a\s+)?(?:sign-?in|log-?in)|expir\w*|older\s+than|"
    r"last\s+(?:sign-?in|log-?in|seen)|not\s+been)\b"
)
_ROLLING_BEFORE = re.compile(r"\b(?:last|past)\s+$")
_HORIZON_LEADS = frozenset({"next", "within", "older than", "longer than", "more than", "over"})


class QuestionForm(StrEnum):
    """The form of the question, which decides the shape of the first sentence of the answer."""

    yes_no = "yes_no"
    count = "count"
    list = "list"
    explain = "explain"
    other = "other"


_COUNT = re.compile(
    r"\b(?:how\s+many|how\s+much|number\s+of|count\s+(?:of|the|how)|^count\b|what\s+percentage|"
    r"what\s+proportion|what\s+share|percentage\s+of|tally)\b"
)
_EXPLAIN_START = re.compile(
    r"^(?:why|how\s+come|explain|what\s+(?:does|do|did)\b.*\bmean\b|what\s+(?:happened|"
    r"went\s+wrong|is\s+going\s+on|'s\s+going\s+on|was\s+failing|is\s+failing|caused)|"
    r"what[’']s\s+(?:going\s+on|wrong|happening)|troubleshoot|diagnose|help\b|how\s+(?:does|did|"
    r"is)\b)"
)
_EXPLAIN_ANYWHERE = re.compile(
    r"\b(?:why|explain|what[’']?s\s+going\s+on|what\s+is\s+going\s+on|troubleshoot|what\s+was\s+"
    r"failing|root\s+cause|can[’']?t|cannot|can\s+not|couldn[’']?t|won[’']?t|wouldn[’']?t|"
    r"doesn[’']?t\s+work|not\s+working|keeps\s+(?:getting|failing|asking)|locked\s+out|"
    r"blocked|stopped|loops?\s+back|fails?|failing)\b"
)
_YES_NO_START = re.compile(
    r"^(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|"
    r"must|any|anyone|anybody|anything|isn[’']?t|aren[’']?t|doesn[’']?t|don[’']?t|didn[’']?t|"
    r"hasn[’']?t|haven[’']?t)\b"
)
_LIST_START = re.compile(
    r"^(?:which|who|whom|whose|list|show|give|get|find|display|enumerate|top|all|everyone|every|"
    r"what\s+(?:are|were|is|roles|groups|apps|licen[cs]es|users|devices|permissions|policies|"
    r"changed|did)|where)\b"
)
_LIST_ANYWHERE = re.compile(r"\b(?:list|show\s+me|which|who)\b")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
# "If we switch them on, who gets blocked?": the question is the clause after the condition.
_CONDITION_CLAUSE = re.compile(
    r"^(?:if|when|before|after|once|assuming|suppose|given)\b[^,:;]{0,200}[,:;]\s*"
)
_PLURAL_FIRST = re.compile(r"^(?:\S+\s+)?[a-z-]{3,}(?<!ss)(?<!is)(?<!was)(?<!has)(?<!does)s\b")
_LEADING_NOISE = re.compile(r"^[\s\W]*(?:(?:hey|hi|hello|ok|okay|so|pls|please|quick\s+one)\W+)*")


def _value(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def find_number(text: str) -> int | None:
    """The limit or threshold `text` states, or None (see the module docstring)."""
    lower = text.lower()
    for match in _MARKED.finditer(lower):
        word = match.group(1) or match.group(2)
        if _TIME_UNIT_AFTER.match(lower, match.end()):
            continue
        return _value(word)
    for match in _COUNTED.finditer(lower):
        if match.group(2) in _NOT_COUNTED or _TIME_UNIT_AFTER.match(lower, match.end(1)):
            continue
        if _PRODUCT_BEFORE.search(lower[max(0, match.start() - 12) : match.start()]):
            continue  # "Windows 10 devices", "Microsoft 365 users"
        return _value(match.group(1))
    return None


def find_days(text: str) -> int | None:
    """The span of days `text` sets as an inactivity or horizon condition, or None."""
    lower = text.lower()
    inactive = _INACTIVITY.search(lower) is not None
    for match in _DAYS.finditer(lower):
        lead = " ".join((match.group("lead") or "").split())
        before = lower[max(0, match.start("n") - 6) : match.start("n")]
        rolling = lead in ("past", "last") or _ROLLING_BEFORE.search(before) is not None
        horizon = lead in _HORIZON_LEADS or match.group("plus") is not None
        if rolling and not inactive:
            continue  # "in the last 7 days" is the time window
        if not (inactive or horizon):
            continue
        unit = match.group("unit").rstrip("s")
        return _value(match.group("n")) * _UNIT_DAYS[unit]
    return None


def question_form(text: str) -> QuestionForm:
    """The form of the question `text` asks (see the module docstring)."""
    lower = " ".join(text.lower().split())
    if _COUNT.search(lower):
        return QuestionForm.count
    sentences = [s.strip() for s in _SENTENCE_END.split(lower) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    main = _LEADING_NOISE.sub("", (questions or sentences or [""])[0])
    main = _CONDITION_CLAUSE.sub("", main)
    if _EXPLAIN_START.match(main):
        return QuestionForm.explain
    if _YES_NO_START.match(main):
        return QuestionForm.yes_no
    if _LIST_START.match(main):
        return QuestionForm.list
    if _EXPLAIN_ANYWHERE.search(lower):
        return QuestionForm.explain
    if _LIST_ANYWHERE.search(lower) or (main.endswith("?") and _PLURAL_FIRST.match(main)):
        return QuestionForm.list  # "risky users?", "Groups with guests in them?"
    return QuestionForm.other
